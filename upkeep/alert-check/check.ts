import type { CheckAlertsOutput, NotifyInput, NotifyOutput } from '../../contracts/activities';
import { Alert, AlertRule, Comparator, toAlert, toRule } from '../../libs/kpis/alerts';
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
  const { rows } = await db.query(
    `SELECT * FROM alert_rules WHERE enabled ${options.ruleIds ? 'AND id = ANY($1::uuid[])' : ''} ORDER BY id`,
    options.ruleIds ? [options.ruleIds] : [],
  );
  const rules = rows.map(toRule);
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
        computeKpis(db, { from, to: now, flowIds: rule.flowId ? [rule.flowId] : null, version: rule.version ?? undefined, rates, now }).then(
          (r) => r.totals,
        ),
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
    await db.query(`UPDATE alert_rules SET last_checked_at = $2, last_value = $3, last_sample = $4 WHERE id = $1`, [rule.id, now, value, sample]);
    if (value === null || sample < rule.minSample) {
      result.skipped.push({ ruleId: rule.id, reason: `sample ${sample} below ${rule.minSample}` });
      continue;
    }
    if (!breaches(value, rule.comparator, rule.threshold)) {
      const resolved = await db.query(
        `UPDATE alerts SET resolved_at = $2, last_value = $3, last_checked_at = $2 WHERE rule_id = $1 AND resolved_at IS NULL RETURNING id`,
        [rule.id, now, value],
      );
      result.resolved.push(...resolved.rows.map((r) => r.id as string));
      continue;
    }
    result.breached++;
    const { rows: upserted } = await db.query(
      `INSERT INTO alerts (rule_id, rule_name, flow_id, version, kpi, comparator, threshold, value, sample, window_from, window_to, fired_at, last_value, last_checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $8, $11)
       ON CONFLICT (rule_id) WHERE resolved_at IS NULL
       DO UPDATE SET last_value = EXCLUDED.last_value, last_checked_at = EXCLUDED.last_checked_at
       RETURNING *, (xmax = 0) AS inserted`,
      [rule.id, rule.name, rule.flowId, rule.version, rule.kpi, rule.comparator, rule.threshold, value, sample, from, now],
    );
    const alert = upserted[0];
    if (alert.inserted) result.fired.push(alert.id);
    if (alert.notified_at === null) {
      const status = await sendNotification(db, options, rule, toAlert(alert));
      if (status) result.notified.push(alert.id);
    }
  }
  return result;
}

async function sendNotification(db: KpiDb, options: CheckOptions, rule: AlertRule, alert: Alert): Promise<boolean> {
  const target = rule.channel && rule.recipient ? { channel: rule.channel, to: rule.recipient } : options.settings.alertDefaultNotify;
  if (!target) {
    await db.query(`UPDATE alerts SET notification_status = 'none', notified_at = now() WHERE id = $1`, [alert.id]);
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
    await db.query(`UPDATE alerts SET notification_status = $2, notification_id = $3, notification_error = $4, notified_at = now() WHERE id = $1`, [
      alert.id,
      out.status,
      out.outboxId,
      out.reason ?? null,
    ]);
    return true;
  } catch (err) {
    // Recorded, and left un-notified so the next check tries again (the outbox key keeps it to one row).
    await db.query(`UPDATE alerts SET notification_status = 'failed', notification_error = $2 WHERE id = $1`, [alert.id, String((err as Error)?.message ?? err).slice(0, 1000)]);
    return false;
  }
}
