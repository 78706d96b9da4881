import { loadKpiSettings } from '../../libs/kpis/config';
import { defineUpkeep } from '../../libs/runtime/upkeep-schedule';
import { ALERT_CHECK_WORKFLOW, CheckAlertsInput } from './types';

export const ALERT_SCHEDULE_ID = 'cauce-alert-check';

export interface AlertScheduleOptions {
  /** Default `cauce-alert-check`; tests use their own. */
  scheduleId?: string;
  /** The workflow's input (tests limit the check to their rules). */
  input?: CheckAlertsInput;
}

const alertUpkeep = defineUpkeep<CheckAlertsInput>({
  schedule: {
    scheduleId: ALERT_SCHEDULE_ID,
    workflowType: ALERT_CHECK_WORKFLOW,
    note: 'Cauce: KPI alert rules check',
    minExecutionTimeoutMs: 5 * 60_000,
  },
  intervalFromEnv: (env) => loadKpiSettings(env).alertCheckInterval,
  defaultInterval: '1m',
  tag: '[alerts]',
  whenOff: 'KPI_ALERT_CHECK_INTERVAL=off: alert rules are not checked',
  whatItDoes: (interval) => `alert rules checked every ${interval}`,
});

/** Creates or updates the Schedule that runs `alertCheckWorkflow` every `interval` (see ensureUpkeepSchedule). */
export const ensureAlertSchedule = alertUpkeep.ensure;
/** For the worker's start: the schedule with `KPI_ALERT_CHECK_INTERVAL` (default 1m; `off` skips it). Never throws. */
export const ensureAlertScheduleOnStart = alertUpkeep.ensureOnStart;
