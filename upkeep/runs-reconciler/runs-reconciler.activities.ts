import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { classifyDbError } from '../../activities/errors';
import { silentLogger } from '../../libs/runtime/log';
import { GivenUp } from './gaps';
import { rebuildRunLog, type WorkflowSource } from './rebuild';
import { reconcileOpenRuns } from './reconcile';
import type { ReconcileRunsInput, ReconcileRunsOutput, RunReconcileActivities } from './types';

export interface RunsReconcilerActivityDeps {
  pool: Pool;
  /**
   * The client that describes workflows. Default: the worker's own (`Context.current().client`),
   * which is experimental over a NativeConnection; the worker passes a regular one.
   */
  client?: Client;
  /**
   * How the worker loads its workflows (its prebuilt bundle, or its workflows path and bundler
   * options). With it, closed flowRunV2 runs whose last run-log entry a crash lost are rebuilt from
   * their history (rebuild.ts); without it (scripts, tests of the plain close) they are closed
   * without their last events, as the API does.
   */
  workflows?: WorkflowSource;
  log?: (line: string) => void;
}

/** The activity context when running in one; undefined for a plain call (tests, scripts). */
function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * `reconcileRuns`: one bounded pass of the reconciler (./reconcile.ts) over the open `runs` rows, closing the
 * ones Temporal says are closed and writing `run.finished` for terminated and timed-out runs, then
 * (with `workflows`) the sweep of closed rows whose last entry was lost (./sweep.ts). Run by
 * `reconcileRunsWorkflow` on the `cauce-runs-reconcile` Schedule. Safe to retry: every write is
 * conditional (an open row, a run without `run.finished`, a free seq).
 */
export function createRunsReconcilerActivities(deps: RunsReconcilerActivityDeps): RunReconcileActivities {
  // One per worker process: a run the gap check could not repair is replayed and logged once, not at every pass.
  const givenUp = new GivenUp();
  return {
    async reconcileRuns(input: ReconcileRunsInput = {}): Promise<ReconcileRunsOutput> {
      const ctx = currentContext();
      const client = deps.client ?? ctx?.client;
      if (!client) throw new Error('reconcileRuns needs a Temporal client outside an activity');
      const log = deps.log ?? ((line: string) => (ctx ? ctx.log.warn(line) : console.warn(line)));
      const workflows = deps.workflows;
      try {
        return await reconcileOpenRuns(
          {
            db: deps.pool,
            client,
            heartbeat: ctx ? () => ctx.heartbeat() : undefined,
            log,
            givenUp,
            rebuild: workflows && ((runId) => rebuildRunLog({ client, pool: deps.pool, workflows, log: { ...silentLogger, warn: log, error: log } }, runId)),
          },
          input ?? {},
        );
      } catch (err) {
        throw classifyDbError(err, 'the run reconciliation failed');
      }
    },
  };
}
