import { defineUpkeep, upkeepIntervalFromEnv } from '../../libs/runtime/upkeep-schedule';
import { RECONCILE_RUNS_WORKFLOW, ReconcileRunsInput } from './types';

export const RECONCILE_SCHEDULE_ID = 'cauce-runs-reconcile';
export const DEFAULT_RECONCILE_INTERVAL = '1m';

/**
 * `CAUCE_RUN_RECONCILE_INTERVAL`: how often the pass runs (`1m` default, `30s`, `5m`, ...), or null
 * for `off`. A value that is not a duration of at least one second throws, naming the variable.
 */
export const reconcileIntervalFromEnv = (env: Record<string, string | undefined>) =>
  upkeepIntervalFromEnv(env, 'CAUCE_RUN_RECONCILE_INTERVAL', DEFAULT_RECONCILE_INTERVAL);

const reconcileUpkeep = defineUpkeep<ReconcileRunsInput>({
  schedule: {
    scheduleId: RECONCILE_SCHEDULE_ID,
    workflowType: RECONCILE_RUNS_WORKFLOW,
    note: 'Cauce: close runs terminated or timed out outside their workflow code',
    minExecutionTimeoutMs: 10 * 60_000,
  },
  intervalFromEnv: reconcileIntervalFromEnv,
  defaultInterval: DEFAULT_RECONCILE_INTERVAL,
  tag: '[runs]',
  whenOff: 'CAUCE_RUN_RECONCILE_INTERVAL=off: terminated and timed-out runs are closed only when the API meets them',
  whatItDoes: (interval) => `open runs reconciled every ${interval}`,
});

/** Creates or updates the Schedule that runs `reconcileRunsWorkflow` every `interval` (see ensureUpkeepSchedule). */
export const ensureReconcileSchedule = reconcileUpkeep.ensure;
/** For the worker's start: the schedule with `CAUCE_RUN_RECONCILE_INTERVAL`. Never throws (the API still reconciles the runs it meets). */
export const ensureReconcileScheduleOnStart = reconcileUpkeep.ensureOnStart;
