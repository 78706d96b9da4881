import type { RunsDb } from '../../libs/runs-index/run-index.repository';
import { rebuildEach, type RebuildEachDeps } from './rebuild';

/**
 * The sweep for closes the API made first.
 *
 * When a command meets a closed run whose row is still open, the API closes the row itself
 * (reconcile.ts `closeRun`, the API has no workflow bundle to replay with): the right status, but
 * no outcome, and if a crash lost the run's last entry, no `run.finished` and no last events either.
 * Such rows are exactly the closed, non-test rows with no outcome: every close the workflow makes
 * carries one (run-flow.ts finish()), terminated and timed-out closes get their status as outcome, and
 * a run that never started gets `not_started`. The sweep rebuilds those of flowRunV2 runs from their
 * history (rebuild.ts); a legacy run among them (its `updateRunIndex` failed for good) is left alone.
 */

export const DEFAULT_SWEEP_WINDOW_MS = 24 * 60 * 60_000;
/** A row closed this recently is left to the writer's own commit (normally milliseconds behind the close). */
export const DEFAULT_SWEEP_GRACE_MS = 60_000;
/** Rows rebuilt per pass at most: each is a history fetch and a replay (tens of ms). */
export const DEFAULT_SWEEP_LIMIT = 50;

/** Statuses whose close the workflow's own code writes: a missing `run.finished` means its last entry was lost. */
const CLOSED_BY_CODE = ['completed', 'failed', 'cancelled'];

export interface SweepQuery {
  windowMs: number;
  graceMs: number;
  limit: number;
  /** Only these runs (tests). */
  runIds?: string[];
}

/**
 * Closed rows without an outcome and without a `run.finished` event, closed within `windowMs` and
 * untouched for `graceMs`, newest close first. The predicate matches the partial index
 * `runs_closed_without_outcome` (migration 1764600000000), which holds only such rows, so a pass
 * reads a handful of index entries however many runs the table holds; each candidate's `run.finished`
 * probe is a range scan of `run_events_run_seq` on its run id (rebuild.itest.ts checks the plan).
 */
export function closedWithoutFinishQuery(q: SweepQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [q.windowMs, q.graceMs, q.limit, CLOSED_BY_CODE];
  let only = '';
  if (q.runIds) {
    values.push(q.runIds);
    only = `AND r.run_id = ANY($5::text[])`;
  }
  const text = `SELECT r.run_id FROM runs r
      WHERE r.closed_at IS NOT NULL AND r.outcome IS NULL AND NOT r.test
        AND r.closed_at > now() - make_interval(secs => $1::float8 / 1000)
        AND r.updated_at <= now() - make_interval(secs => $2::float8 / 1000)
        AND r.status = ANY($4::text[]) ${only}
        AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.run_id AND e.type = 'run.finished')
      ORDER BY r.closed_at DESC LIMIT $3`;
  return { text, values };
}

export async function closedWithoutFinish(db: RunsDb, q: SweepQuery): Promise<string[]> {
  const { text, values } = closedWithoutFinishQuery(q);
  const { rows } = await db.query<{ run_id: string }>(text, values);
  return rows.map((r) => r.run_id);
}

export interface SweepOutcome {
  /** Candidate rows looked at. */
  swept: number;
  /** Of those, rebuilt (events or the outcome written). */
  rebuilt: number;
  errors: number;
}

/** Rebuilds each candidate in turn; a failure is logged and counted, the rest go on. */
export async function sweepClosedRuns(deps: RebuildEachDeps & { db: RunsDb }, q: SweepQuery): Promise<SweepOutcome> {
  const candidates = await closedWithoutFinish(deps.db, q);
  const out: SweepOutcome = { swept: candidates.length, rebuilt: 0, errors: 0 };
  out.errors = await rebuildEach(
    deps,
    candidates,
    (runId) => `could not rebuild the run log of ${runId}`,
    (runId, r) => {
      if (r.events > 0 || r.closed) out.rebuilt++;
      else if (r.skipped !== 'legacy')
        deps.log?.(`[runs] ${runId}: closed without run.finished, and its history gave nothing to write (${r.skipped ?? 'no entries'})`);
    },
  );
  return out;
}
