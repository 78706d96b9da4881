import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities, CheckAlertsInput, CheckAlertsOutput } from '../../contracts/activities';

/** The workflow type the `cauce-alert-check` Schedule starts (libs/kpis/alert-schedule.ts). */
export const ALERT_CHECK_WORKFLOW = 'alertCheckWorkflow';

const { checkAlerts } = proxyActivities<AlertActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '20 seconds', maximumAttempts: 3 },
});

/**
 * One alert check: evaluates the alert rules on the KPIs, records breaches and notifies (the
 * `checkAlerts` activity does the work; see libs/kpis/alerts.ts). Started every minute by a Temporal
 * Schedule whose overlap policy skips a check while the previous one still runs.
 */
export async function alertCheckWorkflow(input: CheckAlertsInput = {}): Promise<CheckAlertsOutput> {
  return checkAlerts(input ?? {});
}
