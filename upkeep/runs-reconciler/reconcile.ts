import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
// Pure helpers (no Nest): the API and this reconciler must read Temporal's statuses the same way.
import { statusFromTemporal } from '../../contracts/run-status';
import { readRunAttributes } from '../../contracts/search-attributes';
import { RunIndexRepository, RunsDb } from '../../libs/runs-index/run-index.repository';
import { RunEventRepository } from '../../libs/run-events/run-event.repository';
import type { ReconcileRunsInput, ReconcileRunsOutput } from './types';

/**
 * Closing runs that ended without their workflow code running.
 *
 * The interpreter writes `run.finished` and closes the `runs` row itself when a run completes, fails
 * or is cancelled (workflows/interpreter/flow-run.workflow.ts `finish()`). A run terminated from
 * outside (`temporal workflow terminate`, `handle.terminate()`) or stopped by a run timeout runs no
 * more workflow code, so without this its KPI facts (libs/kpis/facts.ts) and its index row stay
 * open forever. Both the API (when it meets such a run) and the worker's scheduled pass use these
 * functions, so either one writes the same event.
 */

/** What these functions need from PostgreSQL: a `pg` Pool (or client); TypeORM's `query` returns no `rowCount`. */
export type { RunsDb };

export interface RunsReconcilerDeps {
  db: RunsDb;
  client: Client;
  /** Default `Date.now`. */
  now?: () => number;
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

export type RunCheck = { open: true } | { open: false; status: string; closed: boolean; finished: boolean };

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
  return { open: false, status, ...(await closeRun(deps.db, run.runId, { status, closedAt: d.closeTime ?? new Date(now) })) };
}

/**
 * One bounded pass over open index rows not updated for `idleMs` (oldest first): each is described
 * and reconciled. Rows still running (or whose check failed) get `updated_at = now()`, so the next
 * pass moves on to the following ones instead of describing the same `limit` long conversations for
 * ever. Throws when every check failed (Temporal or PostgreSQL down), so the schedule shows it.
 */
export async function reconcileOpenRuns(
  deps: RunsReconcilerDeps & { heartbeat?: () => void; log?: (line: string) => void },
  input: ReconcileRunsInput = {},
): Promise<ReconcileRunsOutput> {
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? DEFAULT_RECONCILE_LIMIT), 1), 1000);
  const idleMs = Math.max(input.idleMs ?? DEFAULT_RECONCILE_IDLE_MS, 0);
  const runIndex = new RunIndexRepository(deps.db);
  const rows = await runIndex.idleOpen({ idleMs, limit, runIds: input.runIds });
  const out: ReconcileRunsOutput = { checked: rows.length, open: 0, closed: 0, finished: 0, errors: 0 };
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
  return out;
}
