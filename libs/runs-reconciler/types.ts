// Types shared by the reconciler's activity, its workflow (workflows import types only) and the schedule.

export interface ReconcileRunsInput {
  /** Rows looked at in one pass (default 200): a pass stays short however many runs are open. */
  limit?: number;
  /** Only rows not updated for this long (default 2 minutes): a run that just started or was just checked waits its turn. */
  idleMs?: number;
  /** A run whose workflow Temporal does not know is closed only this long after its start (default 5 minutes). */
  notFoundGraceMs?: number;
  /** Only these runs (tests); default every open row. */
  runIds?: string[];
}

export interface ReconcileRunsOutput {
  /** Open index rows looked at. */
  checked: number;
  /** Of those, still running in Temporal. */
  open: number;
  /** Index rows closed. */
  closed: number;
  /** `run.finished` events written for runs that ended without running workflow code (terminated, timed out, lost). */
  finished: number;
  /** Rows whose check failed (Temporal or PostgreSQL errors); they are tried again on a later pass. */
  errors: number;
}

/** The scheduled reconciliation (libs/runs-reconciler/reconcile-runs.workflow.ts). */
export interface RunReconcileActivities {
  reconcileRuns(input: ReconcileRunsInput): Promise<ReconcileRunsOutput>;
}

/** The workflow type the `cauce-runs-reconcile` Schedule starts (here, not in the workflow file, so the schedule code never loads @temporalio/workflow). */
export const RECONCILE_RUNS_WORKFLOW = 'reconcileRunsWorkflow';
