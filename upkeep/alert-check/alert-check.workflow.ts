import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities, CheckAlertsInput, CheckAlertsOutput } from './types';

const { checkAlerts } = proxyActivities<AlertActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '20 seconds', maximumAttempts: 3 },
});

/**
 * One alert check: evaluates the alert rules on the KPIs, records breaches and notifies (the
 * `checkAlerts` activity does the work; see ./check.ts). Started every minute by a Temporal
 * Schedule whose overlap policy skips a check while the previous one still runs.
 */
export async function alertCheckWorkflow(input: CheckAlertsInput = {}): Promise<CheckAlertsOutput> {
  return checkAlerts(input ?? {});
}
