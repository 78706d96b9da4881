// Types shared by the alert check's activity, its workflow (workflows import types only) and its schedule.
import type { AlertActivities, CheckAlertsInput, CheckAlertsOutput } from '../../contracts/activities';

export type { AlertActivities, CheckAlertsInput, CheckAlertsOutput };

/** The workflow type the `cauce-alert-check` Schedule starts (here, not in the workflow file, so the schedule code never loads @temporalio/workflow). */
export const ALERT_CHECK_WORKFLOW = 'alertCheckWorkflow';
