import type { Pool } from 'pg';
import { classifyDbError } from '../../activities/errors';
import { KpiSettings, loadKpiSettings } from '../../libs/kpis/config';
import { checkAlertRules, NotifyFn } from './check';
import type { AlertActivities, CheckAlertsInput, CheckAlertsOutput } from './types';

export interface AlertCheckDeps {
  pool: Pool;
  /** The notify activity's implementation (same providers as the flows' notifications). */
  notify: NotifyFn;
  /** Default: `loadKpiSettings(env)` at every check, so rate changes apply without a restart of the schedule. */
  settings?: KpiSettings;
  env?: Record<string, string | undefined>;
}

/**
 * `checkAlerts`: evaluates the alert rules (./check.ts), records breaches in `alerts` and
 * notifies through the notify activity. Run by `alertCheckWorkflow` on the `cauce-alert-check`
 * Temporal Schedule. Safe to retry: one active alert per rule, one outbox row per alert.
 */
export function createAlertCheckActivities(deps: AlertCheckDeps): AlertActivities {
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
