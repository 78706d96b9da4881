// Types shared by the reconciler's activity, its workflow (workflows import types only) and the schedule.
import type { ReconcileRunsInput, ReconcileRunsOutput } from '../../contracts/activities';

export type { ReconcileRunsInput, ReconcileRunsOutput };

/** The scheduled reconciliation (./reconcile-runs.workflow.ts). */
export interface RunReconcileActivities {
  reconcileRuns(input: ReconcileRunsInput): Promise<ReconcileRunsOutput>;
}

/** The workflow type the `cauce-runs-reconcile` Schedule starts (here, not in the workflow file, so the schedule code never loads @temporalio/workflow). */
export const RECONCILE_RUNS_WORKFLOW = 'reconcileRunsWorkflow';
