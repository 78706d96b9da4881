import { AlertChannel } from './config';
import { ALERT_KPIS, AlertKpi } from './kpis';
import { KpiDb } from './sql';

/**
 * Alert rules and alerts: their rows, validation and the reads and writes the API makes. The check
 * that fires and resolves alerts is an upkeep job (upkeep/alert-check/check.ts).
 *
 * A rule watches one KPI (ALERT_KPIS) of one flow (or all flows, optionally one version) over a
 * sliding window (the runs started in the last `windowMinutes`), e.g. escalationRate > 0.15 over 60
 * minutes. At every check (the `cauce-alert-check` Temporal Schedule, every minute by default):
 *
 * - the KPI is computed; with fewer than `minSample` measurements (finished runs for rates, CSAT
 *   answers for CSAT, answered turns for response times) the rule is not judged;
 * - a breach with no active alert for the rule **fires** one: a row in `alerts` (one active alert per
 *   rule, enforced by a unique index, so a retried or concurrent check cannot fire twice) and a
 *   notification through the notify activity (outbox row keyed `alert:<id>`, so a retry sends once);
 * - a breach that goes on only updates the active alert's last value; when the KPI is back within
 *   the threshold the alert is **resolved** (`resolvedAt`), and a later breach fires a new one;
 * - the API lists alerts until someone **acknowledges** them (`acknowledgedAt`, `acknowledgedBy`),
 *   whether resolved or not.
 */

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface AlertRuleInput {
  name: string;
  /** null or omitted: every flow. */
  flowId?: string | null;
  version?: number | null;
  kpi: AlertKpi;
  comparator: Comparator;
  threshold: number;
  windowMinutes?: number;
  minSample?: number;
  channel?: AlertChannel | null;
  recipient?: string | null;
  enabled?: boolean;
}

export interface AlertRule extends Required<Omit<AlertRuleInput, 'flowId' | 'version' | 'channel' | 'recipient'>> {
  id: string;
  flowId: string | null;
  version: number | null;
  channel: AlertChannel | null;
  recipient: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastCheckedAt: string | null;
  lastValue: number | null;
  lastSample: number | null;
}

export interface Alert {
  id: string;
  ruleId: string | null;
  ruleName: string;
  flowId: string | null;
  version: number | null;
  kpi: string;
  comparator: Comparator;
  threshold: number;
  /** The KPI when the alert fired, and its sample. */
  value: number;
  sample: number;
  windowFrom: string;
  windowTo: string;
  firedAt: string;
  /** The KPI at the latest check while the alert was active. */
  lastValue: number;
  lastCheckedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  notification: { status: string | null; outboxId: string | null; error: string | null; notifiedAt: string | null };
}

/** The single-row reads and writes also run on a transaction's client (the API audits them in the same transaction). */
export type AlertDb = Pick<KpiDb, 'query'>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A row of `alert_rules` as the API and the alert check (upkeep/alert-check) see it. */
export function toRule(r: Record<string, any>): AlertRule {
  return {
    id: r.id,
    name: r.name,
    flowId: r.flow_id,
    version: r.version,
    kpi: r.kpi,
    comparator: r.comparator,
    threshold: Number(r.threshold),
    windowMinutes: r.window_minutes,
    minSample: r.min_sample,
    channel: r.channel,
    recipient: r.recipient,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lastCheckedAt: iso(r.last_checked_at),
    lastValue: r.last_value === null ? null : Number(r.last_value),
    lastSample: r.last_sample,
  };
}

/** A row of `alerts` as the API and the alert check (upkeep/alert-check) see it. */
export function toAlert(r: Record<string, any>): Alert {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    flowId: r.flow_id,
    version: r.version,
    kpi: r.kpi,
    comparator: r.comparator,
    threshold: Number(r.threshold),
    value: Number(r.value),
    sample: r.sample,
    windowFrom: iso(r.window_from)!,
    windowTo: iso(r.window_to)!,
    firedAt: iso(r.fired_at)!,
    lastValue: Number(r.last_value),
    lastCheckedAt: iso(r.last_checked_at)!,
    resolvedAt: iso(r.resolved_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    notification: { status: r.notification_status, outboxId: r.notification_id, error: r.notification_error, notifiedAt: iso(r.notified_at) },
  };
}

/** A rule's input after validation (every field checked; the API's DTOs check the same first). */
export function validateRule(input: AlertRuleInput): Required<AlertRuleInput> {
  const problems: string[] = [];
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200) problems.push('name must be 1-200 characters');
  if (!(input.kpi in ALERT_KPIS)) problems.push(`kpi must be one of ${Object.keys(ALERT_KPIS).join(', ')}`);
  if (!COMPARATORS.includes(input.comparator)) problems.push(`comparator must be one of ${COMPARATORS.join(' ')}`);
  if (typeof input.threshold !== 'number' || !Number.isFinite(input.threshold)) problems.push('threshold must be a finite number');
  const windowMinutes = input.windowMinutes ?? 60;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 60 * 24 * 90) problems.push('windowMinutes must be an integer from 1 to 129600 (90 days)');
  const minSample = input.minSample ?? 1;
  if (!Number.isInteger(minSample) || minSample < 1) problems.push('minSample must be a positive integer');
  if ((input.channel ?? null) === null !== ((input.recipient ?? null) === null)) problems.push('channel and recipient go together');
  if (problems.length) throw new RangeError(problems.join('; '));
  return {
    name: input.name.trim(),
    flowId: input.flowId ?? null,
    version: input.version ?? null,
    kpi: input.kpi,
    comparator: input.comparator,
    threshold: input.threshold,
    windowMinutes,
    minSample,
    channel: input.channel ?? null,
    recipient: input.recipient?.trim() || null,
    enabled: input.enabled ?? true,
  };
}

export async function createAlertRule(db: AlertDb, input: AlertRuleInput, createdBy: string | null): Promise<AlertRule> {
  const r = validateRule(input);
  const { rows } = await db.query(
    `INSERT INTO alert_rules (name, flow_id, version, kpi, comparator, threshold, window_minutes, min_sample, channel, recipient, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [r.name, r.flowId, r.version, r.kpi, r.comparator, r.threshold, r.windowMinutes, r.minSample, r.channel, r.recipient, r.enabled, createdBy],
  );
  return toRule(rows[0]);
}

/** Replaces a rule; null when there is none. Changing it keeps its active alert (the next check resolves it if need be). */
export async function updateAlertRule(db: AlertDb, id: string, input: AlertRuleInput): Promise<AlertRule | null> {
  const r = validateRule(input);
  const { rows } = await db.query(
    `UPDATE alert_rules SET name = $2, flow_id = $3, version = $4, kpi = $5, comparator = $6, threshold = $7, window_minutes = $8,
       min_sample = $9, channel = $10, recipient = $11, enabled = $12, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, r.name, r.flowId, r.version, r.kpi, r.comparator, r.threshold, r.windowMinutes, r.minSample, r.channel, r.recipient, r.enabled],
  );
  return rows[0] ? toRule(rows[0]) : null;
}

/** Deletes a rule and resolves its active alert (alerts stay listed until acknowledged). */
export async function deleteAlertRule(db: AlertDb, id: string): Promise<boolean> {
  await db.query(`UPDATE alerts SET resolved_at = now() WHERE rule_id = $1 AND resolved_at IS NULL`, [id]);
  const { rowCount } = await db.query(`DELETE FROM alert_rules WHERE id = $1`, [id]);
  return (rowCount ?? 0) > 0;
}

export async function getAlertRule(db: AlertDb, id: string): Promise<AlertRule | null> {
  const { rows } = await db.query(`SELECT * FROM alert_rules WHERE id = $1`, [id]);
  return rows[0] ? toRule(rows[0]) : null;
}

/** Rules, newest first; `flowIds` limits them to those flows (rules of every flow are then left out). */
export async function listAlertRules(db: KpiDb, filter: { flowIds?: string[] | null; flowId?: string } = {}): Promise<AlertRule[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.flowIds) {
    values.push(filter.flowIds);
    where.push(`flow_id = ANY($${values.length}::uuid[])`);
  }
  if (filter.flowId) {
    values.push(filter.flowId);
    where.push(`flow_id = $${values.length}`);
  }
  const { rows } = await db.query(`SELECT * FROM alert_rules ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`, values);
  return rows.map(toRule);
}

export type AlertStatus = 'open' | 'acknowledged' | 'active' | 'all';

/**
 * Alerts, newest first. `open` (the default): not acknowledged yet, resolved or not; `acknowledged`;
 * `active`: not resolved yet; `all`.
 */
export async function listAlerts(
  db: KpiDb,
  filter: { status?: AlertStatus; flowIds?: string[] | null; flowId?: string; ruleId?: string; limit?: number; before?: { firedAt: string; id: string } } = {},
): Promise<Alert[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const status = filter.status ?? 'open';
  if (status === 'open') where.push('acknowledged_at IS NULL');
  if (status === 'acknowledged') where.push('acknowledged_at IS NOT NULL');
  if (status === 'active') where.push('resolved_at IS NULL');
  const add = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (filter.flowIds) where.push(`flow_id = ANY(${add(filter.flowIds)}::uuid[])`);
  if (filter.flowId) where.push(`flow_id = ${add(filter.flowId)}`);
  if (filter.ruleId) where.push(`rule_id = ${add(filter.ruleId)}`);
  if (filter.before) where.push(`(fired_at, id) < (${add(filter.before.firedAt)}::timestamptz, ${add(filter.before.id)}::uuid)`);
  const { rows } = await db.query(
    `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY fired_at DESC, id DESC LIMIT ${add(filter.limit ?? 100)}`,
    values,
  );
  return rows.map(toAlert);
}

export async function getAlert(db: AlertDb, id: string): Promise<Alert | null> {
  const { rows } = await db.query(`SELECT * FROM alerts WHERE id = $1`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

/** Acknowledges an alert (idempotent: a second acknowledgement keeps the first one's time and author). */
export async function acknowledgeAlert(db: AlertDb, id: string, by: string): Promise<Alert | null> {
  const { rows } = await db.query(
    `UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2)
     WHERE id = $1 RETURNING *`,
    [id, by],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}
