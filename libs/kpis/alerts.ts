import { AlertChannel } from './config';
import { ALERT_KPIS, AlertKpi } from './kpis';
import { KpiDb } from './sql';

/**
 * Alert rules and alerts: their shapes, row mapping and validation. Their one writer is
 * ./alert.repository.ts (used by the API and by the check that fires and resolves alerts, an upkeep
 * job: upkeep/alert-check/check.ts).
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

/** A rule's input after validation (every field checked; the API's DTOs check the same first). */
export function validateRule(input: AlertRuleInput): Required<AlertRuleInput> {
  const problems: string[] = [];
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200) problems.push('name must be 1-200 characters');
  if (!(input.kpi in ALERT_KPIS)) problems.push(`kpi must be one of ${Object.keys(ALERT_KPIS).join(', ')}`);
  if (!COMPARATORS.includes(input.comparator)) problems.push(`comparator must be one of ${COMPARATORS.join(' ')}`);
  if (typeof input.threshold !== 'number' || !Number.isFinite(input.threshold)) problems.push('threshold must be a finite number');
  const windowMinutes = input.windowMinutes ?? 60;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 60 * 24 * 90)
    problems.push('windowMinutes must be an integer from 1 to 129600 (90 days)');
  const minSample = input.minSample ?? 1;
  if (!Number.isInteger(minSample) || minSample < 1) problems.push('minSample must be a positive integer');
  if (((input.channel ?? null) === null) !== ((input.recipient ?? null) === null)) problems.push('channel and recipient go together');
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

/** Which alerts a list shows: `open` (not acknowledged yet, resolved or not), `acknowledged`, `active` (not resolved yet), `all`. */
export type AlertStatus = 'open' | 'acknowledged' | 'active' | 'all';
