import type { KpiReport } from './kpis';
import { KPI_LIST, KpiValues, valueAt } from './registry';

/** The KPIs with a CSV column, in registry order. */
const CSV_COLUMNS = KPI_LIST.flatMap(({ path, kpi }) => ('csv' in kpi && kpi.csv ? [{ column: kpi.csv, path }] : []));

/** One flat record of numbers per KPI group, for CSV: a column per KPI the registry gives one. */
export function flattenKpis(v: KpiValues): Record<string, number | null> {
  return Object.fromEntries(CSV_COLUMNS.map(({ column, path }) => [column, valueAt(v, path) as number | null]));
}

/** One CSV cell: RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const goalColumn = (goal: string) => `goal_${goal}_runs`;

/**
 * The KPI report as CSV: a header, one row per group (flow / version / period, as asked), then the
 * totals (`scope` = total). Every KPI with a `csv` column in the registry is a column (see flattenKpis), plus `goal_<name>_runs` per goal.
 */
export function kpisToCsv(report: KpiReport): string {
  const rows: { scope: string; flowId: string | null; version: number | null; period: string | null; v: KpiValues }[] = [
    ...report.groups.map((g) => ({ scope: 'group', flowId: g.flowId, version: g.version, period: g.period, v: g })),
    { scope: 'total', flowId: report.flowIds?.length === 1 ? report.flowIds[0] : null, version: report.version, period: null, v: report.totals },
  ];
  const metricNames = Object.keys(flattenKpis(report.totals));
  const goals = [...new Set(rows.flatMap((r) => r.v.conversion.perGoal.map((g) => g.goal)))].sort();
  const header = ['scope', 'from', 'to', 'flow_id', 'version', 'period', ...metricNames, ...goals.map(goalColumn)];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const flat = flattenKpis(r.v);
    const perGoal = new Map(r.v.conversion.perGoal.map((g) => [g.goal, g.runs]));
    lines.push(
      [r.scope, report.from, report.to, r.flowId, r.version, r.period, ...metricNames.map((m) => flat[m]), ...goals.map((g) => perGoal.get(g) ?? 0)]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
