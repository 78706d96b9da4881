import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
// Pure helpers (no Nest): the API and this reconciler must read Temporal's statuses the same way.
import { statusFromTemporal } from '../../contracts/run-status';
import { FLOW_RUN_WORKFLOW } from '../../contracts/run-wire';
import { readRunAttributes } from '../../contracts/search-attributes';
import { RunIndexRepository, RunsDb } from '../../libs/runs-index/run-index.repository';
import { RunEventRepository } from '../../libs/run-events/run-event.repository';
import type { RebuildResult } from './rebuild';
import { DEFAULT_GAP_LIMIT, DEFAULT_GAP_WINDOW_MS, GivenUp, repairGaps } from './gaps';
import { DEFAULT_SWEEP_GRACE_MS, DEFAULT_SWEEP_LIMIT, DEFAULT_SWEEP_WINDOW_MS, sweepClosedRuns } from './sweep';
import type { ReconcileRunsInput, ReconcileRunsOutput } from './types';

/**
 * Closing runs whose own code did not (or whose close a crash lost).
 *
 * The interpreter writes `run.finished` and closes the `runs` row itself when a run completes, fails
 * or is cancelled (workflows/interpreter/run-flow.ts `finish()`). A run terminated from outside
 * (`temporal workflow terminate`, `handle.terminate()`) or stopped by a run timeout runs no more
 * workflow code, so without this its KPI facts (libs/kpis/facts.ts) and its index row stay open
 * forever. Both the API (when it meets such a run) and the worker's scheduled pass use these
 * functions, so either one writes the same event.
 *
 * A flowRunV2 run's close travels through the worker's run-log writer, in memory until committed
 * (contracts/run-log.ts). A worker that dies in between leaves the row open with the run's last
 * events missing; the worker's pass rebuilds them from the history (`deps.rebuild`, rebuild.ts),
 * which also closes the row with the run's own outcome. The API has no workflow bundle to replay
 * with, so it closes the row (`closeRun`, no outcome); the worker's sweep (sweep.ts) finds those rows
 * later and rebuilds them.
 */

/** What these functions need from PostgreSQL: a `pg` Pool (or client); TypeORM's `query` returns no `rowCount`. */
export type { RunsDb };

export interface RunsReconcilerDeps {
  db: RunsDb;
  client: Client;
  /** Default `Date.now`. */
  now?: () => number;
  /**
   * Rebuilds a closed flowRunV2 run's log from its history (rebuild.ts `rebuildRunLog`). The worker
   * has it; the API does not (no workflow bundle), and closes such rows with `closeRun` instead.
   */
  rebuild?: (runId: string) => Promise<RebuildResult>;
  /** Runs the gap check gave up on, kept by the worker across passes (gaps.ts); default a new one per pass. */
  givenUp?: GivenUp;
  log?: (line: string) => void;
}

/** Closes Temporal gives a run without running any of its code: nobody else writes their `run.finished`. */
export const CLOSED_WITHOUT_CODE = new Set(['terminated', 'timed_out']);

export const DEFAULT_RECONCILE_LIMIT = 200;
export const DEFAULT_RECONCILE_IDLE_MS = 2 * 60_000;
export const DEFAULT_NOT_FOUND_GRACE_MS = 5 * 60_000;
/** Describes in flight at once: enough to finish 200 rows in a few seconds without crowding Temporal. */
const DESCRIBE_CONCURRENCY = 8;

export interface RunClose {
  status: string;
  closedAt: Date;
  outcome?: string | null;
  /** Why the run is closed this way, kept in the event's data (`workflow_not_found`). */
  reason?: string;
}

/**
 * Closes a run's index row (if still open) with the status Temporal gave it; a terminated or timed-out
 * run gets its `run.finished` event first, so a failure in between leaves the row open for a retry
 * rather than a closed row without the event.
 */
export async function closeRun(db: RunsDb, runId: string, close: RunClose): Promise<{ closed: boolean; finished: boolean }> {
  const withoutCode = CLOSED_WITHOUT_CODE.has(close.status);
  const outcome = close.outcome ?? (withoutCode ? close.status : null);
  const finished = withoutCode
    ? await new RunEventRepository(db).recordRunFinished(runId, {
        status: close.status,
        outcome: outcome ?? close.status,
        at: close.closedAt,
        reason: close.reason,
      })
    : false;
  const closed = await new RunIndexRepository(db).close(runId, { status: close.status, closedAt: close.closedAt, outcome });
  return { closed, finished };
}

/**
 * A run Temporal does not know (its start failed half-way, or its history expired): its events
 * tell what happened. No events: it never started (`failed`, `not_started`, as the API always said).
 * A `run.finished`: it ended normally and only its row was left open. Events without one: it was
 * stopped from outside before anyone noticed, recorded as terminated at its last event.
 */
async function closeLostRun(db: RunsDb, runId: string, now: Date): Promise<{ status: string; closed: boolean; finished: boolean }> {
  const facts = await new RunEventRepository(db).closingFacts(runId);
  let close: RunClose;
  if (!facts || facts.n === 0 || !facts.last_at) close = { status: 'failed', outcome: 'not_started', closedAt: now };
  else if (facts.finished) {
    const status = typeof facts.finished.status === 'string' ? facts.finished.status : 'completed';
    close = { status, outcome: typeof facts.finished.outcome === 'string' ? facts.finished.outcome : status, closedAt: facts.finished_at ?? facts.last_at };
  } else close = { status: 'terminated', closedAt: facts.last_at, reason: 'workflow_not_found' };
  return { status: close.status, ...(await closeRun(db, runId, close)) };
}

export type RunCheck = { open: true } | { open: false; status: string; closed: boolean; finished: boolean; rebuilt?: boolean };

/**
 * A flowRunV2 run that closed by its own code while its row stayed open: its last run-log entry was
 * lost. Replaying its history writes it (events, `run.finished`, the close with its outcome). False
 * when that did not close the row (a test run, which hands nothing over; a replay that failed, logged),
 * so the caller closes it plainly and the sweep tries the rebuild again later.
 */
async function rebuildLostClose(deps: RunsReconcilerDeps, runId: string): Promise<boolean> {
  try {
    // A test run (the editor's simulator) never hands its log over: its row is closed here, without a replay.
    if ((await new RunIndexRepository(deps.db).find(runId))?.test) return false;
    return (await deps.rebuild!(runId)).closed;
  } catch (err) {
    deps.log?.(`[runs] could not rebuild the run log of ${runId}, closing its row without it: ${(err as Error)?.message ?? err}`);
    return false;
  }
}

/**
 * A flowRunV2 run terminated or timed out after a crash lost its last entries, before another
 * workflow task handed them over: its history replays up to the stop and yields them (no close: the
 * run's code did not close it). Written BEFORE its `run.finished`, which takes the seq after the last
 * one; written after, it would take the seq of the first lost event and hide the hole. A failure is
 * logged and the run closed anyway. Whether events were written.
 */
async function refillStopped(deps: RunsReconcilerDeps, runId: string): Promise<boolean> {
  try {
    if ((await new RunIndexRepository(deps.db).find(runId))?.test) return false;
    return (await deps.rebuild!(runId)).events > 0;
  } catch (err) {
    deps.log?.(`[runs] could not replay the stopped run ${runId} before writing its run.finished: ${(err as Error)?.message ?? err}`);
    return false;
  }
}

/**
 * Whether a run the index says is open really is, from Temporal; a closed one is reconciled
 * (`closeRun`). A run Temporal does not know is open until `notFoundGraceMs` after its start (the API
 * writes the row before it starts the workflow). Temporal errors other than "not found" are thrown.
 */
export async function reconcileRun(
  deps: RunsReconcilerDeps,
  run: { runId: string; startedAt: Date },
  options: { notFoundGraceMs?: number } = {},
): Promise<RunCheck> {
  const now = deps.now?.() ?? Date.now();
  let d: WorkflowExecutionDescription;
  try {
    d = await deps.client.workflow.getHandle(run.runId).describe();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (now - run.startedAt.getTime() < (options.notFoundGraceMs ?? DEFAULT_NOT_FOUND_GRACE_MS)) return { open: true };
    return { open: false, ...(await closeLostRun(deps.db, run.runId, new Date(now))) };
  }
  if (d.status.name === 'RUNNING') return { open: true };
  const status = statusFromTemporal(d.status.name, readRunAttributes(d.typedSearchAttributes).status);
  if (status === 'running') return { open: true };
  if (deps.rebuild && d.type === FLOW_RUN_WORKFLOW && !CLOSED_WITHOUT_CODE.has(status) && (await rebuildLostClose(deps, run.runId)))
    return { open: false, status, closed: true, finished: false, rebuilt: true };
  const refilled = deps.rebuild && d.type === FLOW_RUN_WORKFLOW && CLOSED_WITHOUT_CODE.has(status) ? await refillStopped(deps, run.runId) : false;
  return {
    open: false,
    status,
    ...(await closeRun(deps.db, run.runId, { status, closedAt: d.closeTime ?? new Date(now) })),
    ...(refilled ? { rebuilt: true } : {}),
  };
}

/**
 * One bounded pass over open index rows not updated for `idleMs` (oldest first): each is described
 * and reconciled. Rows still running (or whose check failed) get `updated_at = now()`, so the next
 * pass moves on to the following ones instead of describing the same `limit` long conversations for
 * ever. Throws when every check failed (Temporal or PostgreSQL down), so the schedule shows it.
 * With `deps.rebuild` (the worker), the pass then sweeps closed rows whose last entry was lost (sweep.ts),
 * then repairs holes in recent runs' events and subflow children without a row (gaps.ts).
 */
export async function reconcileOpenRuns(deps: RunsReconcilerDeps & { heartbeat?: () => void }, input: ReconcileRunsInput = {}): Promise<ReconcileRunsOutput> {
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? DEFAULT_RECONCILE_LIMIT), 1), 1000);
  const idleMs = Math.max(input.idleMs ?? DEFAULT_RECONCILE_IDLE_MS, 0);
  const runIndex = new RunIndexRepository(deps.db);
  const rows = await runIndex.idleOpen({ idleMs, limit, runIds: input.runIds });
  const out: ReconcileRunsOutput = {
    checked: rows.length,
    open: 0,
    closed: 0,
    finished: 0,
    errors: 0,
    rebuilt: 0,
    swept: 0,
    gapsFound: 0,
    gapsFilled: 0,
    childrenFound: 0,
    childrenRebuilt: 0,
  };
  const touch: string[] = [];
  let lastError: unknown;
  let next = 0;
  const work = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      try {
        const check = await reconcileRun(deps, row, { notFoundGraceMs: input.notFoundGraceMs });
        if (check.open) {
          out.open++;
          touch.push(row.runId);
        } else {
          if (check.closed) out.closed++;
          if (check.finished) out.finished++;
          if (check.rebuilt) out.rebuilt++;
        }
      } catch (err) {
        out.errors++;
        lastError = err;
        touch.push(row.runId);
        deps.log?.(`[runs] could not reconcile ${row.runId}: ${(err as Error)?.message ?? err}`);
      }
      deps.heartbeat?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, rows.length) }, work));
  if (rows.length > 0 && out.errors === rows.length) throw lastError;
  await runIndex.touchOpen(touch);
  const graceMs = Math.max(input.sweepGraceMs ?? DEFAULT_SWEEP_GRACE_MS, 0);
  const windowMs = Math.max(input.sweepWindowMs ?? DEFAULT_SWEEP_WINDOW_MS, 0);
  if (deps.rebuild && windowMs > 0) {
    const sweep = await sweepClosedRuns(
      { db: deps.db, rebuild: deps.rebuild, heartbeat: deps.heartbeat, log: deps.log },
      {
        windowMs,
        graceMs,
        limit: Math.min(Math.max(Math.trunc(input.sweepLimit ?? DEFAULT_SWEEP_LIMIT), 1), 1000),
        runIds: input.runIds,
      },
    );
    out.swept = sweep.swept;
    out.rebuilt += sweep.rebuilt;
    out.errors += sweep.errors;
  }
  const gapWindowMs = Math.max(input.gapWindowMs ?? DEFAULT_GAP_WINDOW_MS, 0);
  if (deps.rebuild && gapWindowMs > 0) {
    const { errors, ...found } = await repairGaps(
      { db: deps.db, rebuild: deps.rebuild, givenUp: deps.givenUp ?? new GivenUp(), heartbeat: deps.heartbeat, log: deps.log },
      { windowMs: gapWindowMs, graceMs, limit: Math.min(Math.max(Math.trunc(input.gapLimit ?? DEFAULT_GAP_LIMIT), 1), 1000), runIds: input.runIds },
    );
    Object.assign(out, found);
    out.errors += errors;
  }
  return out;
}
