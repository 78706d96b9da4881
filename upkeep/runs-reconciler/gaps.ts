import type { RunsDb } from '../../libs/runs-index/run-index.repository';
import { rebuildEach, type RebuildEachDeps } from './rebuild';

/**
 * The pass's last two checks, for losses the open-row pass and the sweep cannot see.
 *
 * Gaps in `seq`: a flowRunV2 run numbers its events 1..n, densely, across continue-as-new. A crash of
 * the run-log writer between a continue-as-new and its commit loses the old execution's last entries
 * (the new execution does not hand them over again), and when the run then closes normally its row
 * and `run.finished` look complete. So the pass looks at the runs whose `run.finished` is recent and
 * rebuilds those whose events are not dense (`count(*) <> max(seq)`): the replay of every execution of
 * the chain hands the lost entries over again, and the write skips what is stored.
 *
 * Children without a row: a subflow child's `runs` row is created by its own close, so a lost close
 * leaves nothing for the other checks to find. Its parent's `subflow.started` names it (`childRunId`),
 * so the pass rebuilds children named there that have no row (a child still running is left alone:
 * its next workflow task hands its entries over again).
 *
 * Both read the (type, occurred_at) index of run_events and probe (run_id, seq) or the runs primary
 * key per candidate, at most `limit` candidates per pass, newest first (gaps.itest.ts checks the plans).
 */

export const DEFAULT_GAP_WINDOW_MS = 10 * 60_000;
/** Runs finished (or subflows started) checked per pass at most. */
export const DEFAULT_GAP_LIMIT = 200;

export interface GapQuery {
  windowMs: number;
  /** Runs finished this recently are left to the writer's own commit. */
  graceMs: number;
  limit: number;
  /** Runs this process gave up on (`GivenUp`): not checked again. */
  skip: string[];
  /** Only these runs (tests): the runs checked, or the parents of the children. */
  runIds?: string[];
}

function only(values: unknown[], column: string, runIds?: string[]): string {
  if (!runIds) return '';
  values.push(runIds);
  return `AND ${column} = ANY($${values.length}::text[])`;
}

/**
 * Closed non-test runs whose `run.finished` came within `windowMs` (and before `graceMs`) and whose
 * events are not dense. `limit` bounds the finished runs looked at (newest first), not the gaps found.
 */
export function runsWithGapsQuery(q: GapQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [q.windowMs, q.graceMs, q.limit, q.skip];
  const filter = only(values, 'e.run_id', q.runIds);
  const text = `SELECT f.run_id FROM (
        SELECT e.run_id, e.occurred_at FROM run_events e
         WHERE e.type = 'run.finished'
           AND e.occurred_at > now() - make_interval(secs => $1::float8 / 1000)
           AND e.occurred_at <= now() - make_interval(secs => $2::float8 / 1000)
           AND NOT (e.run_id = ANY($4::text[])) ${filter}
         ORDER BY e.occurred_at DESC LIMIT $3) f
      JOIN runs r ON r.run_id = f.run_id AND r.closed_at IS NOT NULL AND NOT r.test
      WHERE (SELECT count(*) <> max(g.seq) FROM run_events g WHERE g.run_id = f.run_id)
      ORDER BY f.occurred_at DESC`;
  return { text, values };
}

/** Children named by a `subflow.started` within the window (and before the grace) that have no `runs` row, newest first. */
export function childrenWithoutRowQuery(q: GapQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [q.windowMs, q.graceMs, q.limit, q.skip];
  const filter = only(values, 'e.run_id', q.runIds);
  const text = `SELECT c.child FROM (
        SELECT e.data->>'childRunId' AS child, e.occurred_at FROM run_events e
         WHERE e.type = 'subflow.started'
           AND e.occurred_at > now() - make_interval(secs => $1::float8 / 1000)
           AND e.occurred_at <= now() - make_interval(secs => $2::float8 / 1000) ${filter}
         ORDER BY e.occurred_at DESC LIMIT $3) c
      WHERE c.child IS NOT NULL AND NOT (c.child = ANY($4::text[]))
        AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = c.child)
      ORDER BY c.occurred_at DESC`;
  return { text, values };
}

async function ids(db: RunsDb, query: { text: string; values: unknown[] }, column: string): Promise<string[]> {
  const { rows } = await db.query<Record<string, string>>(query.text, query.values);
  return rows.map((r) => r[column]);
}

export const runsWithGaps = (db: RunsDb, q: GapQuery) => ids(db, runsWithGapsQuery(q), 'run_id');
export const childrenWithoutRow = (db: RunsDb, q: GapQuery) => ids(db, childrenWithoutRowQuery(q), 'child');

/** Whether a run's stored events are numbered 1..n without a hole (no events: not dense). */
async function dense(db: RunsDb, runId: string): Promise<boolean> {
  const { rows } = await db.query<{ dense: boolean }>(`SELECT count(*) > 0 AND count(*) = max(seq) AS dense FROM run_events WHERE run_id = $1`, [runId]);
  return rows[0]?.dense === true;
}

/**
 * Runs whose loss a rebuild could not repair (legacy runs, values PostgreSQL refuses, a history that
 * gives nothing more), remembered by this worker process until they leave the window, so each is
 * replayed and logged once, not at every pass. A restarted worker tries each once more.
 */
export class GivenUp {
  private readonly until = new Map<string, number>();
  constructor(private readonly max = 10_000) {}

  list(now = Date.now()): string[] {
    for (const [runId, until] of this.until) if (until <= now) this.until.delete(runId);
    return [...this.until.keys()];
  }

  add(runId: string, forMs: number, now = Date.now()): void {
    // Bounded: past `max`, the oldest are forgotten (tried once more at worst).
    if (this.until.size >= this.max) this.until.delete(this.until.keys().next().value as string);
    this.until.set(runId, now + forMs);
  }
}

export interface GapDeps extends RebuildEachDeps {
  db: RunsDb;
  givenUp: GivenUp;
}

export interface GapOutcome {
  /** Closed runs found with a hole in their events. */
  gapsFound: number;
  /** Of those, made dense by a rebuild. */
  gapsFilled: number;
  /** Subflow children without a row. */
  childrenFound: number;
  /** Of those, rebuilt (their events and closed row written). */
  childrenRebuilt: number;
  errors: number;
}

/** Rebuilds each run with a hole in its events; one that stays holed is given up (logged once). A failure is logged and tried again at the next pass. */
async function fillGaps(deps: GapDeps, q: GapQuery, out: GapOutcome): Promise<void> {
  const candidates = await runsWithGaps(deps.db, q);
  out.gapsFound = candidates.length;
  out.errors += await rebuildEach(
    deps,
    candidates,
    (runId) => `could not fill the hole in the run events of ${runId}`,
    async (runId, r) => {
      if (await dense(deps.db, runId)) out.gapsFilled++;
      else {
        deps.givenUp.add(runId, q.windowMs);
        // Legacy runs are left alone by design (their events went through activities), without a word.
        if (r.skipped !== 'legacy')
          deps.log?.(
            `[runs] ${runId}: its run events have a hole in seq that its history did not fill (${r.skipped ?? `${r.events} of ${r.entries} events written`}); not tried again`,
          );
      }
    },
  );
}

/** Rebuilds each child without a row; a running child is left to its next workflow task, one that gives nothing is given up (logged once). */
async function findChildren(deps: GapDeps, q: GapQuery, out: GapOutcome): Promise<void> {
  const children = await childrenWithoutRow(deps.db, q);
  out.childrenFound = children.length;
  out.errors += await rebuildEach(
    deps,
    children,
    (childId) => `could not rebuild the subflow child ${childId}`,
    (childId, r) => {
      if (r.closed) out.childrenRebuilt++;
      else if (r.skipped !== 'running') {
        deps.givenUp.add(childId, q.windowMs);
        if (r.skipped !== 'legacy')
          deps.log?.(`[runs] subflow child ${childId} has no row and its history gave none (${r.skipped ?? 'no close'}); not tried again`);
      }
    },
  );
}

/** Both checks, gaps first (a rebuilt child may itself have children, found at the next pass). */
export async function repairGaps(deps: GapDeps, q: Omit<GapQuery, 'skip'>): Promise<GapOutcome> {
  const out: GapOutcome = { gapsFound: 0, gapsFilled: 0, childrenFound: 0, childrenRebuilt: 0, errors: 0 };
  await fillGaps(deps, { ...q, skip: deps.givenUp.list() }, out);
  await findChildren(deps, { ...q, skip: deps.givenUp.list() }, out);
  return out;
}
