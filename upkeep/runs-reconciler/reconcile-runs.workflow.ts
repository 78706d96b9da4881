import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileRunsInput, ReconcileRunsOutput, RunReconcileActivities } from './types';

const { reconcileRuns } = proxyActivities<RunReconcileActivities>({
  startToCloseTimeout: '5 minutes',
  // The pass heartbeats after every run; a worker that dies mid-pass is noticed within a minute.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/**
 * One reconciliation pass: closes index rows of runs that ended without running workflow code
 * (terminated, timed out) and writes their `run.finished`, and rebuilds from their history the
 * flowRunV2 runs whose last run-log entry a worker crash lost (the `reconcileRuns` activity does the
 * work; see ./reconcile.ts and ./rebuild.ts). Started every minute by a Temporal Schedule whose
 * overlap policy skips a pass while the previous one still runs.
 */
export async function reconcileRunsWorkflow(input: ReconcileRunsInput = {}): Promise<ReconcileRunsOutput> {
  return reconcileRuns(input ?? {});
}
