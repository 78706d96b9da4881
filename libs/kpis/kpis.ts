import type { KpiRates } from './config';
import { pendingRuns } from './freshness';
import { deriveKpiValues, KpiValues } from './registry';
import { gatherRows, ReportRow } from './report-rows';
import { dimensions, reportSql } from './report-sql';
import { EventScope, Interval, KpiDb, withWorkMem } from './sql';

/**
 * The KPI service: every KPI of a period, per flow, version and period bucket, computed in
 * PostgreSQL from `run_events` (see README, "KPIs and experiments", for the definitions), through
 * the per-run facts (facts.ts) and their daily rollups (rollups.ts). Each KPI is declared once in
 * the registry (registry/), which gives the report its shape and every value its derivation.
 *
 * A report only reads: the facts are kept current by the worker (upkeep/kpi-facts) and by the
 * explicit refresh command (`POST /api/kpis/refresh`), never by a read. The report says how many
 * runs have events its figures do not include yet (`pendingRuns`).
 *
 * The one rule behind every number: **a run belongs to the period in which it started** (its
 * `run.started` event lies in [from, to)), and all its events count there, even those after `to`.
 * A run started before `from` does not count, whatever happened in the window. Rates about how runs
 * ended are over the *finished* runs of that cohort (those with `run.finished`); open runs only add to
 * `runs` and `open`. Event-level KPIs (response time, CSAT) use every run of the cohort.
 */

export type { KpiValues } from './registry';
export { ALERT_KPI_NAMES, ALERT_KPIS, type AlertKpi } from './alert-kpis';

export type GroupBy = 'flow' | 'version';

export interface KpiQuery {
  from: Date;
  to: Date;
  /** Only these flows (one flow, or the flows an API key may see); null or undefined: every flow. */
  flowIds?: string[] | null;
  version?: number;
  /** Also break the totals down per flow, or per flow and version. */
  groupBy?: GroupBy | null;
  /** Also break them down per period bucket (UTC), by the runs' start. */
  interval?: Interval | null;
  rates: KpiRates;
  /** "Now" for first-contact resolution windows still open; default the current time. */
  now?: Date;
}

export type KpiGroup = KpiValues & {
  flowId: string | null;
  version: number | null;
  /** Start of the bucket (ISO, UTC) when an interval was asked for. */
  period: string | null;
};

export interface KpiReport {
  from: string;
  to: string;
  flowIds: string[] | null;
  version: number | null;
  groupBy: GroupBy | null;
  interval: Interval | null;
  rates: KpiRates;
  totals: KpiValues;
  groups: KpiGroup[];
  /** Runs in scope with events stored after the last fact refresh, so not in these figures yet (0: up to date). */
  pendingRuns: number;
}

/** Computes every KPI of the period (see the registry for the definitions). */
export async function computeKpis(db: KpiDb, q: KpiQuery): Promise<KpiReport> {
  if (!(q.from < q.to)) throw new RangeError('from must be before to');
  const scope: EventScope = { from: q.from, to: q.to, flowIds: q.flowIds ?? null, version: q.version };
  let rows: ReportRow[] = [];
  // Counted before the report is read: whatever it counts as up to date is in the facts it reads.
  const pending = await pendingRuns(db, scope.flowIds);
  if (!(scope.flowIds !== null && scope.flowIds.length === 0)) {
    const statements = reportSql(q, scope, dimensions(q));
    const parts = await Promise.all(statements.map(({ sql, values }) => withWorkMem(db, async (c) => (await c.query(sql, values)).rows as ReportRow[])));
    rows = parts.flat();
  }
  const { total, groups } = gatherRows(rows, q.rates);
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    flowIds: scope.flowIds,
    version: q.version ?? null,
    groupBy: q.groupBy ?? null,
    interval: q.interval ?? null,
    rates: q.rates,
    totals: deriveKpiValues(total),
    groups: groups
      .map((g): KpiGroup => ({ flowId: g.flowId, version: g.version, period: g.period, ...deriveKpiValues(g.sums) }))
      .sort((x, y) => (x.flowId ?? '').localeCompare(y.flowId ?? '') || (x.version ?? 0) - (y.version ?? 0) || (x.period ?? '').localeCompare(y.period ?? '')),
    pendingRuns: pending,
  };
}
