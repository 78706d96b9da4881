import type { Pool } from 'pg';
import type { RecordedRunEvent } from '../../contracts/run-events';
import type { Statement } from '../db/statement';

/**
 * The one module that writes the `run_events` table (and the reads that go with its writes): the
 * worker's `recordRunEvents` activity stores the batches a run flushes, and the runs reconciler
 * writes the `run.finished` of a run that ended without running its code. Plain SQL over a `pg`
 * Pool, like libs/runs-index: the worker and the upkeep jobs have no TypeORM. What a value that
 * PostgreSQL refuses becomes (sanitizing, quarantine) is the activity's policy, not this module's.
 */
export type RunEventsDb = Pick<Pool, 'query'>;

/** Where the events of one batch belong. */
export interface RunEventOwner {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
}

/** What the reconciler needs to close a run Temporal no longer knows. */
export interface RunClosingFacts {
  n: number;
  last_at: Date | null;
  finished: { status?: unknown; outcome?: unknown } | null;
  finished_at: Date | null;
}

export class RunEventRepository {
  constructor(private readonly db: RunEventsDb) {}

  /** Inserts events; a (run_id, seq) already stored is skipped, so a re-sent batch is harmless. Returns rows written. */
  async insert(owner: RunEventOwner, events: RecordedRunEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const values: unknown[] = [];
    const rows = events.map((e, i) => {
      const o = i * 9;
      values.push(owner.runId, owner.flowId, owner.version, owner.customerId ?? null, e.seq, e.type, e.nodeId ?? null, JSON.stringify(e.data ?? {}), e.at);
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}::jsonb, $${o + 9})`;
    });
    const result = await this.db.query(
      `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
       VALUES ${rows.join(', ')} ON CONFLICT (run_id, seq) DO NOTHING`,
      values,
    );
    return result.rowCount ?? 0;
  }

  /**
   * Inserts the events of many runs in one statement (the worker's run-log writer commits many runs
   * at once): the same rows and conflict rule as `insert`, as arrays unnested, so the statement has
   * 9 parameters whatever the number of rows (no 65,535-parameter limit). Sorted by (run_id, seq):
   * two writers inserting events of the same runs (a replay on another worker) wait on the unique
   * index in one order and cannot deadlock. Returns rows written.
   */
  async insertBatches(batches: (RunEventOwner & { events: RecordedRunEvent[] })[]): Promise<number> {
    const statement = insertBatchesStatement(batches);
    if (!statement) return 0;
    const result = await this.db.query(statement.text, statement.values);
    return result.rowCount ?? 0;
  }

  /**
   * Writes `run.finished` for a run that ended without running workflow code: seq = the run's last
   * seq + 1, occurred_at = the close (never before the run's last event). A run with no stored event
   * at all (terminated before its first batch was flushed: the buffer died with the workflow) gets
   * its `run.started` too, from its index row (seq 1 at its start, `reconstructed: true`), then
   * `run.finished` (seq 2), so the KPIs count it as started and finished like any other run. Test
   * runs, which never feed the KPIs, get nothing. Nothing is written when the run already has a
   * `run.finished`; the unique (run_id, seq) index makes two reconcilers racing on one run write it
   * once. Returns whether it wrote.
   */
  async recordRunFinished(runId: string, finished: { status: string; outcome: string; at: Date; reason?: string }): Promise<boolean> {
    const data = { status: finished.status, outcome: finished.outcome, ...(finished.reason ? { reason: finished.reason } : {}) };
    const result = await this.db.query(
      `WITH head AS (SELECT run_id, flow_id, version, customer_id FROM run_events WHERE run_id = $1 ORDER BY seq LIMIT 1),
            tail AS (SELECT max(seq) AS seq, max(occurred_at) AS at FROM run_events WHERE run_id = $1),
            row_only AS (SELECT run_id, flow_id, version, customer_id, started_at, trigger FROM runs
                          WHERE run_id = $1 AND NOT test AND NOT EXISTS (SELECT 1 FROM head)),
            new_events (run_id, flow_id, version, customer_id, seq, type, data, occurred_at) AS (
              SELECT head.run_id, head.flow_id, head.version, head.customer_id, tail.seq + 1, 'run.finished', $2::jsonb, GREATEST($3::timestamptz, tail.at)
                FROM head, tail
              UNION ALL
              SELECT run_id, flow_id, version, customer_id, 1, 'run.started',
                     jsonb_build_object('trigger', coalesce(trigger, 'api'), 'reconstructed', true), LEAST(started_at, $3::timestamptz)
                FROM row_only
              UNION ALL
              SELECT run_id, flow_id, version, customer_id, 2, 'run.finished', $2::jsonb, GREATEST($3::timestamptz, started_at)
                FROM row_only)
       INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
       SELECT run_id, flow_id, version, customer_id, seq, type, NULL, data, occurred_at FROM new_events
        WHERE NOT EXISTS (SELECT 1 FROM run_events WHERE run_id = $1 AND type = 'run.finished')
       ON CONFLICT (run_id, seq) DO NOTHING`,
      [runId, JSON.stringify(data), finished.at],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** A page of a run's events after `afterSeq`, in order. */
  async page(
    runId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; type: string; node_id: string | null; data: Record<string, unknown>; occurred_at: Date }[]> {
    const { rows } = await this.db.query<{ seq: number; type: string; node_id: string | null; data: Record<string, unknown>; occurred_at: Date }>(
      `SELECT seq, type, node_id, data, occurred_at FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, afterSeq, limit],
    );
    return rows;
  }

  /** How many events a run has, its last event's time, and its `run.finished` (data and time) if any. */
  async closingFacts(runId: string): Promise<RunClosingFacts | undefined> {
    const { rows } = await this.db.query<RunClosingFacts>(
      `SELECT count(*)::int AS n, max(occurred_at) AS last_at,
              (array_agg(data ORDER BY seq) FILTER (WHERE type = 'run.finished'))[1] AS finished,
              min(occurred_at) FILTER (WHERE type = 'run.finished') AS finished_at
         FROM run_events WHERE run_id = $1`,
      [runId],
    );
    return rows[0];
  }
}

/**
 * `insertBatches` as a statement (without RETURNING), its parameters numbered from `$first`; null
 * when there is no event. The run-log writer joins it with the closes into one statement.
 */
export function insertBatchesStatement(batches: (RunEventOwner & { events: RecordedRunEvent[] })[], first = 1): Statement | null {
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
  for (const b of batches) {
    for (const e of b.events) {
      const row = [b.runId, b.flowId, b.version, b.customerId ?? null, e.seq, e.type, e.nodeId ?? null, JSON.stringify(e.data ?? {}), e.at];
      for (let i = 0; i < row.length; i++) columns[i].push(row[i]);
    }
  }
  if (columns[0].length === 0) return null;
  const $ = (i: number) => `$${first + i}`;
  return {
    text: `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
       SELECT run_id, flow_id, version, customer_id, seq, type, node_id, data::jsonb, occurred_at
         FROM unnest(${$(0)}::text[], ${$(1)}::uuid[], ${$(2)}::int[], ${$(3)}::text[], ${$(4)}::int[], ${$(5)}::text[], ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::timestamptz[])
              AS e (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
        ORDER BY run_id, seq
       ON CONFLICT (run_id, seq) DO NOTHING`,
    values: columns,
  };
}
