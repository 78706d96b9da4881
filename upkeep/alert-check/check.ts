import type { CheckAlertsOutput, NotifyInput, NotifyOutput } from '../../contracts/activities';
import { Alert, AlertRule, Comparator } from '../../libs/kpis/alerts';
import { AlertRepository } from '../../libs/kpis/alert.repository';
import { KpiSettings, resolveRates } from '../../libs/kpis/config';
import { refreshRunFacts } from '../../libs/kpis/facts';
import { ALERT_KPIS, AlertKpi, computeKpis, KpiValues } from '../../libs/kpis/kpis';
import { KpiDb } from '../../libs/kpis/sql';

/**
 * The alert check: evaluates the enabled alert rules (libs/kpis/alerts.ts keeps the rules and alerts
 * the API edits and lists) on the KPIs of their window.
 *
 * - the KPI is computed; with fewer than `minSample` measurements the rule is not judged;
 * - a breach with no active alert for the rule **fires** one: a row in `alerts` (one active alert per
 *   rule, enforced by a unique index, so a retried or concurrent check cannot fire twice) and a
 *   notification through the notify activity (outbox row keyed `alert:<id>`, so a retry sends once);
 * - a breach that goes on only updates the active alert's last value; when the KPI is back within
 *   the threshold the alert is **resolved**, and a later breach fires a new one.
 */

export type NotifyFn = (input: NotifyInput) => Promise<NotifyOutput>;

export interface CheckOptions {
  settings: KpiSettings;
  /** The notify activity's implementation. */
  notify: NotifyFn;
  now?: Date;
  /** Only these rules (tests); default every enabled rule. */
  ruleIds?: string[];
}

/** What one check did: the activity's output (contracts/activities.ts). */
export type CheckResult = CheckAlertsOutput;

export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

const fmt = (kpi: string, v: number) => (/(Rate|Share)$/.test(kpi) ? `${(v * 100).toFixed(1)}%` : Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Evaluates the enabled rules now: fires, updates and resolves alerts, and sends the notifications due. */
export async function checkAlertRules(db: KpiDb, options: CheckOptions): Promise<CheckResult> {
  const now = options.now ?? new Date();
  const result: CheckResult = { checked: 0, breached: 0, fired: [], resolved: [], notified: [], skipped: [] };
  const alerts = new AlertRepository(db);
  const rules = await alerts.enabledRules(options.ruleIds);
  // A check is a job, not a read: it brings the facts up to date first, so a rule judges the newest events.
  await refreshRunFacts(db, { maxBatches: 200 });
  if (rules.length === 0) return result;
  const rates = resolveRates(options.settings);
  // Rules on the same flow, version and window share one computation.
  const cache = new Map<string, Promise<KpiValues>>();
  for (const rule of rules) {
    result.checked++;
    const from = new Date(now.getTime() - rule.windowMinutes * 60_000);
    const key = `${rule.flowId}|${rule.version}|${rule.windowMinutes}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        computeKpis(db, { from, to: now, flowIds: rule.flowId ? [rule.flowId] : null, version: rule.version ?? undefined, rates, now }).then((r) => r.totals),
      );
    }
    const totals = await cache.get(key)!;
    const spec = ALERT_KPIS[rule.kpi as AlertKpi];
    if (!spec) {
      result.skipped.push({ ruleId: rule.id, reason: `unknown kpi ${rule.kpi}` });
      continue;
    }
    const value = spec.value(totals);
    const sample = spec.sample(totals);
    await alerts.recordCheck(rule.id, now, value, sample);
    if (value === null || sample < rule.minSample) {
      result.skipped.push({ ruleId: rule.id, reason: `sample ${sample} below ${rule.minSample}` });
      continue;
    }
    if (!breaches(value, rule.comparator, rule.threshold)) {
      result.resolved.push(...(await alerts.resolveActive(rule.id, now, value)));
      continue;
    }
    result.breached++;
    const { alert, inserted, notified } = await alerts.fireOrTouch(rule, { value, sample, from, at: now });
    if (inserted) result.fired.push(alert.id);
    if (!notified) {
      const status = await sendNotification(alerts, options, rule, alert);
      if (status) result.notified.push(alert.id);
    }
  }
  return result;
}

async function sendNotification(alerts: AlertRepository, options: CheckOptions, rule: AlertRule, alert: Alert): Promise<boolean> {
  const target = rule.channel && rule.recipient ? { channel: rule.channel, to: rule.recipient } : options.settings.alertDefaultNotify;
  if (!target) {
    await alerts.recordNoNotification(alert.id);
    return false;
  }
  const scope = rule.flowId ? `flow ${rule.flowId}${rule.version ? ` v${rule.version}` : ''}` : 'all flows';
  const text =
    `Cauce alert "${rule.name}": ${rule.kpi} is ${fmt(rule.kpi, alert.value)} (${rule.comparator} ${fmt(rule.kpi, rule.threshold)}) ` +
    `over the last ${rule.windowMinutes} min on ${scope}, measured over ${alert.sample}. Fired ${alert.firedAt}; acknowledge it in Cauce (alert ${alert.id}).`;
  try {
    const out = await options.notify({
      // Not a run: the outbox row carries the flow and the alert's idempotency key only.
      ctx: { flowId: rule.flowId ?? undefined, nodeId: 'alerts', idempotencyKey: `alert:${alert.id}` } as NotifyInput['ctx'],
      channel: target.channel,
      to: target.to,
      subject: `[Cauce] ${rule.name}`,
      text,
      purpose: 'alert',
    });
    await alerts.recordNotification(alert.id, out);
    return true;
  } catch (err) {
    // Recorded, and left un-notified so the next check tries again (the outbox key keeps it to one row).
    await alerts.recordNotificationFailure(alert.id, String((err as Error)?.message ?? err).slice(0, 1000));
    return false;
  }
}
