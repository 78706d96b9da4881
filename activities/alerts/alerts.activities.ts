import type { Pool } from 'pg';
import { checkAlertRules, NotifyFn } from '../../libs/kpis/alerts';
import { KpiSettings, loadKpiSettings } from '../../libs/kpis/config';
import type { AlertActivities, CheckAlertsInput, CheckAlertsOutput } from '../../contracts/activities';
import { classifyDbError } from '../errors';

export interface AlertActivityDeps {
  pool: Pool;
  /** The notify activity's implementation (same providers as the flows' notifications). */
  notify: NotifyFn;
  /** Default: `loadKpiSettings(env)` at every check, so rate changes apply without a restart of the schedule. */
  settings?: KpiSettings;
  env?: Record<string, string | undefined>;
}

/**
 * `checkAlerts`: evaluates the alert rules (libs/kpis/alerts.ts), records breaches in `alerts` and
 * notifies through the notify activity. Run by `alertCheckWorkflow` on the `cauce-alert-check`
 * Temporal Schedule. Safe to retry: one active alert per rule, one outbox row per alert.
 */
export function createAlertActivities(deps: AlertActivityDeps): AlertActivities {
  return {
    async checkAlerts(input: CheckAlertsInput = {}): Promise<CheckAlertsOutput> {
      const settings = deps.settings ?? loadKpiSettings(deps.env ?? process.env);
      try {
        return await checkAlertRules(deps.pool, { settings, notify: deps.notify, ruleIds: input?.ruleIds });
      } catch (err) {
        throw classifyDbError(err, 'the alert check failed');
      }
    },
  };
}
