import type { Pool } from 'pg';
import type { RunIndexUpdate } from '../../contracts/activities';
import type { Statement } from '../db/statement';

/**
 * The run index (the `runs` table): the only module that writes it.
 *
 * Three processes write the index: the API (a start claims the row first, see `claimStart`), the
 * worker (the interpreter's `updateRunIndex` activity, when a run moves and when it closes) and the
 * runs reconciler (closing runs that ended without their code running). They all go through this
 * class, so each write has one name, one statement and one place to read when the table changes.
 *
 * Style: plain SQL over a `pg` Pool (or client), not TypeORM entities. The worker, the activities
 * and the reconciler have no TypeORM data source, only a Pool; the API passes the Pool behind its
 * data source (apps/api/database/pg-pool.ts `PG_POOL`), so one process keeps one pool. Plain
 * `pool.query` also returns `rows` and `rowCount` for every statement kind (TypeORM's `query`
 * wraps an UPDATE's RETURNING rows), and costs the chat turn's one lookup less than the entity manager.
 */

/** What the repository needs from PostgreSQL: a `pg` Pool, or a client inside a transaction. */
export type RunsDb = Pick<Pool, 'query'>;

/** One index row, as the API reads it. */
export interface RunIndexRow {
  runId: string;
  flowId: string;
  version: number;
  customerId: string | null;
  startKey: string | null;
  status: string;
  outcome: string | null;
  test: boolean;
  trigger: string | null;
  startedAt: Date;
  closedAt: Date | null;
  /** Bot replies up to this instant were returned by the start call; the first chat turn skips them. */
  repliesDeliveredUntil: Date | null;
}

/** The row a start writes before it asks Temporal to run the workflow. */
export interface RunStartRow {
  runId: string;
  flowId: string;
  version: number;
  customerId: string | null;
  startKey: string | null;
  test: boolean;
  trigger: string;
  startedBy: string;
}

/** The index row a start owns: its own insert, or one an earlier start of the same key left. */
export interface StartClaim {
  runId: string;
  startedAt: Date;
  /** As written by this start (text: microseconds, which a Date loses); a later claim changes it, so a failed start only deletes a row still its own. */
  updatedAt: string;
}

export interface RunIndexClose {
  status: string;
  closedAt: Date;
  /** Kept when the row already has one (the workflow's own outcome wins over a reconciled one). */
  outcome: string | null;
}

const COLUMNS = `run_id, flow_id, version, customer_id, start_key, status, outcome, test, trigger, started_at, closed_at, replies_delivered_until`;

interface Row {
  run_id: string;
  flow_id: string;
  version: number;
  customer_id: string | null;
  start_key: string | null;
  status: string;
  outcome: string | null;
  test: boolean;
  trigger: string | null;
  started_at: Date;
  closed_at: Date | null;
  replies_delivered_until: Date | null;
}

function fromRow(r: Row): RunIndexRow {
  return {
    runId: r.run_id,
    flowId: r.flow_id,
    version: r.version,
    customerId: r.customer_id,
    startKey: r.start_key,
    status: r.status,
    outcome: r.outcome,
    test: r.test,
    trigger: r.trigger,
    startedAt: r.started_at,
    closedAt: r.closed_at,
    repliesDeliveredUntil: r.replies_delivered_until,
  };
}

function claimOf(runId: string, rows: { started_at: Date; updated_at: string }[]): StartClaim | null {
  return rows.length === 1 ? { runId, startedAt: rows[0].started_at, updatedAt: rows[0].updated_at } : null;
}

export class RunIndexRepository {
  constructor(private readonly db: RunsDb) {}

  // ---- reads --------------------------------------------------------------------------------------
  /** One run's row (the chat turn's one indexed lookup). */
  async find(runId: string): Promise<RunIndexRow | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM runs WHERE run_id = $1`, [runId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The rows of these runs (a page of a listing joined with Temporal visibility), in no order. */
  async findMany(runIds: string[]): Promise<RunIndexRow[]> {
    if (runIds.length === 0) return [];
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM runs WHERE run_id = ANY($1::text[])`, [runIds]);
    return rows.map(fromRow);
  }

  /** The open run holding this start key of this flow, if any (at most one: the runs_open_key index). */
  async findOpenByKey(flowId: string, startKey: string): Promise<RunIndexRow | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM runs WHERE flow_id = $1 AND start_key = $2 AND closed_at IS NULL`, [flowId, startKey]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Open, non-test runs of a customer, oldest first (a business event reaches them all). */
  async openOfCustomer(customerId: string, limit: number): Promise<RunIndexRow[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM runs WHERE customer_id = $1 AND closed_at IS NULL AND NOT test ORDER BY started_at ASC LIMIT $2`,
      [customerId, limit],
    );
    return rows.map(fromRow);
  }

  /** Open, non-test runs of one flow for a customer, newest first. */
  async openOfFlowAndCustomer(flowId: string, customerId: string, limit: number): Promise<RunIndexRow[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM runs WHERE flow_id = $1 AND customer_id = $2 AND closed_at IS NULL AND NOT test ORDER BY started_at DESC LIMIT $3`,
      [flowId, customerId, limit],
    );
    return rows.map(fromRow);
  }

  /** Open rows not updated for `idleMs`, oldest update first (the reconciler's pass), optionally only some runs. */
  async idleOpen(q: { idleMs: number; limit: number; runIds?: string[] }): Promise<{ runId: string; startedAt: Date }[]> {
    const params: unknown[] = [q.idleMs, q.limit];
    let only = '';
    if (q.runIds) {
      params.push(q.runIds);
      only = `AND run_id = ANY($3::text[])`;
    }
    const { rows } = await this.db.query<{ run_id: string; started_at: Date }>(
      `SELECT run_id, started_at FROM runs
        WHERE closed_at IS NULL AND updated_at <= now() - make_interval(secs => $1::float8 / 1000) ${only}
        ORDER BY updated_at, run_id LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ runId: r.run_id, startedAt: r.started_at }));
  }

  // ---- the API's start protocol ---------------------------------------------------------------------
  /**
   * Inserts the row of a new run; null when an open run already holds its start key (ON CONFLICT on
   * the partial unique index: a taken key is an answer, not an error to log).
   */
  async claimStart(run: RunStartRow): Promise<StartClaim | null> {
    const { rows } = await this.db.query<{ started_at: Date; updated_at: string }>(
      `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, test, trigger, started_by)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8)
       ON CONFLICT (flow_id, start_key) WHERE start_key IS NOT NULL AND closed_at IS NULL DO NOTHING
       RETURNING started_at, updated_at::text AS updated_at`,
      [run.runId, run.flowId, run.version, run.customerId, run.startKey, run.test, run.trigger, run.startedBy],
    );
    return claimOf(run.runId, rows);
  }

  /** Takes over an open row an earlier start of the same key left without a workflow; null when it closed meanwhile. */
  async adoptStart(runId: string, run: { version: number; customerId: string | null }): Promise<StartClaim | null> {
    const { rows } = await this.db.query<{ started_at: Date; updated_at: string }>(
      `UPDATE runs SET version = $2, customer_id = $3, updated_at = clock_timestamp() WHERE run_id = $1 AND closed_at IS NULL
       RETURNING started_at, updated_at::text AS updated_at`,
      [runId, run.version, run.customerId],
    );
    return claimOf(runId, rows);
  }

  /** Deletes the row of a start Temporal refused outright, unless another start took it over since. */
  async releaseStart(claim: StartClaim): Promise<void> {
    await this.db.query(`DELETE FROM runs WHERE run_id = $1 AND updated_at = $2::timestamptz AND closed_at IS NULL`, [claim.runId, claim.updatedAt]);
  }

  /** The start call returned the bot's replies up to `until`: the first chat turn skips them. */
  async recordRepliesDelivered(runId: string, until: Date): Promise<void> {
    await this.db.query(`UPDATE runs SET replies_delivered_until = $2 WHERE run_id = $1`, [runId, until]);
  }

  /**
   * `recordRepliesDelivered` of many starts in one statement (the API writes them in batches, off the
   * start's path). Rows are locked in run_id order, as `applyIndexCloses` does, so the two batches never deadlock.
   */
  async recordRepliesDeliveredMany(runs: { runId: string; until: Date }[]): Promise<void> {
    if (runs.length === 0) return;
    await this.db.query(
      `WITH locked AS (
         SELECT r.run_id, x.until FROM runs r JOIN unnest($1::text[], $2::timestamptz[]) AS x(run_id, until) ON r.run_id = x.run_id
          ORDER BY r.run_id FOR UPDATE OF r
       )
       UPDATE runs SET replies_delivered_until = locked.until FROM locked WHERE runs.run_id = locked.run_id`,
      [runs.map((r) => r.runId), runs.map((r) => r.until)],
    );
  }

  // ---- the worker and the reconciler ----------------------------------------------------------------
  /**
   * What the interpreter reports (`updateRunIndex`): inserts the row of a run the API did not start
   * (a schedule, a sub-flow), else moves status and current node; an outcome or a close, once set, stays.
   */
  async applyIndexUpdate(update: RunIndexUpdate): Promise<void> {
    await this.db.query(
      `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, outcome, current_node, started_at, closed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()), $10, now())
       ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status, outcome = COALESCE(EXCLUDED.outcome, runs.outcome),
         current_node = EXCLUDED.current_node, closed_at = COALESCE(EXCLUDED.closed_at, runs.closed_at), updated_at = now()`,
      [
        update.runId,
        update.flowId,
        update.version,
        update.customerId ?? null,
        update.startKey ?? null,
        update.status,
        update.outcome ?? null,
        update.currentNode ?? null,
        update.startedAt ?? null,
        update.closedAt ?? null,
      ],
    );
  }

  /**
   * The closes of many runs in one statement (the worker's run-log writer): like `applyIndexUpdate`,
   * but a closed row never moves again: its status, current node and `closed_at` stay, only a new
   * outcome is taken (the workflow's own outcome wins over a reconciled one), and a close repeated
   * (a replay re-emits it) writes nothing. Rows are taken in run_id order, so two writers closing the
   * same runs lock them in one order. Returns the rows written.
   */
  async applyIndexCloses(updates: RunIndexUpdate[]): Promise<number> {
    const statement = indexClosesStatement(updates);
    if (!statement) return 0;
    const result = await this.db.query(statement.text, statement.values);
    return result.rowCount ?? 0;
  }

  /** Closes an open row with the status Temporal gave the run; false when it was closed already. */
  async close(runId: string, close: RunIndexClose): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE runs SET status = $2, outcome = COALESCE(outcome, $4), closed_at = COALESCE(closed_at, $3), updated_at = now() WHERE run_id = $1 AND closed_at IS NULL`,
      [runId, close.status, close.closedAt, close.outcome],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** Marks open rows as just checked, so the reconciler's next pass moves on to the following ones. */
  async touchOpen(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.db.query(`UPDATE runs SET updated_at = now() WHERE run_id = ANY($1::text[]) AND closed_at IS NULL`, [runIds]);
  }
}

/** Two index updates of one run as `applyIndexCloses` would leave them applied in turn: a close, once made, stays. */
function foldIndexUpdates(prev: RunIndexUpdate, next: RunIndexUpdate): RunIndexUpdate {
  const outcome = next.outcome ?? prev.outcome;
  if (prev.closedAt) return { ...prev, ...(outcome !== undefined ? { outcome } : {}) };
  return { ...prev, status: next.status, currentNode: next.currentNode, closedAt: next.closedAt, ...(outcome !== undefined ? { outcome } : {}) };
}

/**
 * `applyIndexCloses` as a statement, its parameters numbered from `$first`; null when there is no
 * close. The run-log writer joins it with the run events into one statement.
 */
export function indexClosesStatement(updates: RunIndexUpdate[], first = 1): Statement | null {
  const byRun = new Map<string, RunIndexUpdate>();
  // One statement may not touch a row twice: several closes of one run fold into what applying them in turn would leave.
  for (const u of updates) {
    const prev = byRun.get(u.runId);
    byRun.set(u.runId, prev ? foldIndexUpdates(prev, u) : u);
  }
  if (byRun.size === 0) return null;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  for (const u of byRun.values()) {
    const row = [u.runId, u.flowId, u.version, u.customerId, u.startKey, u.status, u.outcome, u.currentNode, u.startedAt, u.closedAt];
    for (let i = 0; i < row.length; i++) columns[i].push(row[i] ?? null);
  }
  const $ = (i: number) => `$${first + i}`;
  return {
    text: `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, outcome, current_node, started_at, closed_at, updated_at)
       SELECT run_id, flow_id, version, customer_id, start_key, status, outcome, current_node, COALESCE(started_at, now()), closed_at, now()
         FROM unnest(${$(0)}::text[], ${$(1)}::uuid[], ${$(2)}::int[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::timestamptz[], ${$(9)}::timestamptz[])
              AS c (run_id, flow_id, version, customer_id, start_key, status, outcome, current_node, started_at, closed_at)
        ORDER BY run_id
       ON CONFLICT (run_id) DO UPDATE SET
         status = CASE WHEN runs.closed_at IS NULL THEN EXCLUDED.status ELSE runs.status END,
         outcome = COALESCE(EXCLUDED.outcome, runs.outcome),
         current_node = CASE WHEN runs.closed_at IS NULL THEN EXCLUDED.current_node ELSE runs.current_node END,
         closed_at = COALESCE(runs.closed_at, EXCLUDED.closed_at),
         updated_at = now()
       WHERE runs.closed_at IS NULL OR (EXCLUDED.outcome IS NOT NULL AND EXCLUDED.outcome IS DISTINCT FROM runs.outcome)`,
    values: columns,
  };
}
