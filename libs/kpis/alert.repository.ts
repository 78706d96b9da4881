import type { NotifyOutput } from '../../contracts/activities';
import { Alert, AlertDb, AlertRule, AlertRuleInput, AlertStatus, Comparator, validateRule } from './alerts';
import type { AlertChannel } from './config';
import type { AlertKpi } from './kpis';

/**
 * The one module that writes the `alert_rules` and `alerts` tables (and the reads that go with
 * them): the API's rule CRUD and acknowledgements, and the alert check (upkeep/alert-check), which
 * records what it measured and fires, touches and resolves alerts. The two tables are one owner
 * because a rule's deletion resolves its active alert in the same transaction.
 *
 * Style: plain SQL over a `pg` Pool or a transaction's client, like libs/runs-index (the API audits
 * a change in the transaction that makes it, so it builds one repository per client).
 */
/** An `alert_rules` row as `pg` returns it (numeric columns as text). */
interface AlertRuleRow {
  id: string;
  name: string;
  flow_id: string | null;
  version: number | null;
  kpi: AlertKpi;
  comparator: Comparator;
  threshold: string | number;
  window_minutes: number;
  min_sample: number;
  channel: AlertChannel | null;
  recipient: string | null;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  last_checked_at: Date | null;
  last_value: string | number | null;
  last_sample: number | null;
}

/** An `alerts` row as `pg` returns it (numeric columns as text). */
interface AlertRow {
  id: string;
  rule_id: string | null;
  rule_name: string;
  flow_id: string | null;
  version: number | null;
  kpi: string;
  comparator: Comparator;
  threshold: string | number;
  value: string | number;
  sample: number;
  window_from: Date;
  window_to: Date;
  fired_at: Date;
  last_value: string | number;
  last_checked_at: Date;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  notification_status: string | null;
  notification_id: string | null;
  notification_error: string | null;
  notified_at: Date | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A row of `alert_rules` as the API and the alert check (upkeep/alert-check) see it. */
function toRule(r: AlertRuleRow): AlertRule {
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
function toAlert(r: AlertRow): Alert {
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

export class AlertRepository {
  constructor(private readonly db: AlertDb) {}

  // ---- rules (the API) ----

  /** Validates (RangeError on a bad field) and inserts a rule. */
  async createRule(input: AlertRuleInput, createdBy: string | null): Promise<AlertRule> {
    const r = validateRule(input);
    const { rows } = await this.db.query<AlertRuleRow>(
      `INSERT INTO alert_rules (name, flow_id, version, kpi, comparator, threshold, window_minutes, min_sample, channel, recipient, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [r.name, r.flowId, r.version, r.kpi, r.comparator, r.threshold, r.windowMinutes, r.minSample, r.channel, r.recipient, r.enabled, createdBy],
    );
    return toRule(rows[0]);
  }

  /** Replaces a rule; null when there is none. Changing it keeps its active alert (the next check resolves it if need be). */
  async updateRule(id: string, input: AlertRuleInput): Promise<AlertRule | null> {
    const r = validateRule(input);
    const { rows } = await this.db.query<AlertRuleRow>(
      `UPDATE alert_rules SET name = $2, flow_id = $3, version = $4, kpi = $5, comparator = $6, threshold = $7, window_minutes = $8,
         min_sample = $9, channel = $10, recipient = $11, enabled = $12, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, r.name, r.flowId, r.version, r.kpi, r.comparator, r.threshold, r.windowMinutes, r.minSample, r.channel, r.recipient, r.enabled],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  /** Deletes a rule and resolves its active alert (alerts stay listed until acknowledged). */
  async deleteRule(id: string): Promise<boolean> {
    await this.db.query(`UPDATE alerts SET resolved_at = now() WHERE rule_id = $1 AND resolved_at IS NULL`, [id]);
    const { rowCount } = await this.db.query(`DELETE FROM alert_rules WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Locks a rule's row until the transaction ends, so what is read next is what a change replaces. */
  async lockRule(id: string): Promise<void> {
    await this.db.query(`SELECT 1 FROM alert_rules WHERE id = $1 FOR UPDATE`, [id]);
  }

  async getRule(id: string): Promise<AlertRule | null> {
    const { rows } = await this.db.query<AlertRuleRow>(`SELECT * FROM alert_rules WHERE id = $1`, [id]);
    return rows[0] ? toRule(rows[0]) : null;
  }

  /** Rules, newest first; `flowIds` limits them to those flows (rules of every flow are then left out). */
  async listRules(filter: { flowIds?: string[] | null; flowId?: string } = {}): Promise<AlertRule[]> {
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
    const { rows } = await this.db.query<AlertRuleRow>(
      `SELECT * FROM alert_rules ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`,
      values,
    );
    return rows.map(toRule);
  }

  // ---- alerts (the API) ----

  /**
   * Alerts, newest first. `open` (the default): not acknowledged yet, resolved or not; `acknowledged`;
   * `active`: not resolved yet; `all`.
   */
  async listAlerts(
    filter: {
      status?: AlertStatus;
      flowIds?: string[] | null;
      flowId?: string;
      ruleId?: string;
      limit?: number;
      before?: { firedAt: string; id: string };
    } = {},
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
    const { rows } = await this.db.query<AlertRow>(
      `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY fired_at DESC, id DESC LIMIT ${add(filter.limit ?? 100)}`,
      values,
    );
    return rows.map(toAlert);
  }

  async getAlert(id: string): Promise<Alert | null> {
    const { rows } = await this.db.query<AlertRow>(`SELECT * FROM alerts WHERE id = $1`, [id]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** Locks an alert's row until the transaction ends; undefined when there is none, else whether it was acknowledged already. */
  async lockAlert(id: string): Promise<{ acknowledged: boolean } | undefined> {
    const { rows } = await this.db.query<{ acknowledged: boolean }>(`SELECT acknowledged_at IS NOT NULL AS acknowledged FROM alerts WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0];
  }

  /** Acknowledges an alert (idempotent: a second acknowledgement keeps the first one's time and author). */
  async acknowledge(id: string, by: string): Promise<Alert | null> {
    const { rows } = await this.db.query<AlertRow>(
      `UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2)
       WHERE id = $1 RETURNING *`,
      [id, by],
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  // ---- the alert check (upkeep/alert-check) ----

  /** The enabled rules (only `ruleIds` when given), in id order. */
  async enabledRules(ruleIds?: string[]): Promise<AlertRule[]> {
    const { rows } = await this.db.query<AlertRuleRow>(
      `SELECT * FROM alert_rules WHERE enabled ${ruleIds ? 'AND id = ANY($1::uuid[])' : ''} ORDER BY id`,
      ruleIds ? [ruleIds] : [],
    );
    return rows.map(toRule);
  }

  /** What a check measured for a rule, shown beside the rule. */
  async recordCheck(ruleId: string, at: Date, value: number | null, sample: number): Promise<void> {
    await this.db.query(`UPDATE alert_rules SET last_checked_at = $2, last_value = $3, last_sample = $4 WHERE id = $1`, [ruleId, at, value, sample]);
  }

  /** Resolves the rule's active alert (the KPI is back within its threshold); the ids resolved. */
  async resolveActive(ruleId: string, at: Date, value: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE alerts SET resolved_at = $2, last_value = $3, last_checked_at = $2 WHERE rule_id = $1 AND resolved_at IS NULL RETURNING id`,
      [ruleId, at, value],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Fires an alert for a breached rule, or touches its active one (last value, last check): one
   * active alert per rule, enforced by a unique index, so a retried or concurrent check fires once.
   */
  async fireOrTouch(
    rule: AlertRule,
    measured: { value: number; sample: number; from: Date; at: Date },
  ): Promise<{ alert: Alert; inserted: boolean; notified: boolean }> {
    const { rows } = await this.db.query<AlertRow & { inserted: boolean }>(
      `INSERT INTO alerts (rule_id, rule_name, flow_id, version, kpi, comparator, threshold, value, sample, window_from, window_to, fired_at, last_value, last_checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $8, $11)
       ON CONFLICT (rule_id) WHERE resolved_at IS NULL
       DO UPDATE SET last_value = EXCLUDED.last_value, last_checked_at = EXCLUDED.last_checked_at
       RETURNING *, (xmax = 0) AS inserted`,
      [rule.id, rule.name, rule.flowId, rule.version, rule.kpi, rule.comparator, rule.threshold, measured.value, measured.sample, measured.from, measured.at],
    );
    return { alert: toAlert(rows[0]), inserted: rows[0].inserted === true, notified: rows[0].notified_at !== null };
  }

  /** The alert has no one to tell: marked so, and not tried again. */
  async recordNoNotification(alertId: string): Promise<void> {
    await this.db.query(`UPDATE alerts SET notification_status = 'none', notified_at = now() WHERE id = $1`, [alertId]);
  }

  /** The notify activity's answer for the alert's notification. */
  async recordNotification(alertId: string, out: NotifyOutput): Promise<void> {
    await this.db.query(`UPDATE alerts SET notification_status = $2, notification_id = $3, notification_error = $4, notified_at = now() WHERE id = $1`, [
      alertId,
      out.status,
      out.outboxId,
      out.reason ?? null,
    ]);
  }

  /** A notification that failed: recorded, and left un-notified so the next check tries again. */
  async recordNotificationFailure(alertId: string, error: string): Promise<void> {
    await this.db.query(`UPDATE alerts SET notification_status = 'failed', notification_error = $2 WHERE id = $1`, [alertId, error]);
  }
}
