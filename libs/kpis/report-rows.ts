import type { KpiRates } from './config';
import { FCR_MEASURES, KpiSums, MeasureName, RUN_MEASURES } from './registry';
import { toNullableNumber, toNumber } from './sql';

/**
 * Gathers the rows of the report's statements (report-sql.ts), tagged by `kind` and keyed by their
 * dims, into one KpiSums per group and one for the totals (`is_total`), ready for the registry's
 * derivations.
 */

export interface DimRow {
  is_total: number;
  flow_id?: string | null;
  version?: number | null;
  period?: Date | string | null;
}

export type ReportRow = DimRow & { kind: string } & Record<string, unknown>;

export interface GroupSums {
  flowId: string | null;
  version: number | null;
  period: string | null;
  sums: KpiSums;
}

const MEASURE_NAMES: readonly MeasureName[] = [...RUN_MEASURES.map(([c]) => c), ...FCR_MEASURES];
const periodIso = (p: Date | string | null | undefined) => (p ? new Date(p).toISOString() : null);
const keyOf = (r: DimRow) => (Number(r.is_total) === 1 ? 'total' : JSON.stringify([r.flow_id ?? null, r.version ?? null, periodIso(r.period)]));
/** A `[p50, p95]` pair of percentile_cont, or nulls. */
const pair = (v: unknown): [number | null, number | null] => {
  const a = v as [unknown, unknown] | null | undefined;
  return [toNullableNumber(a?.[0]), toNullableNumber(a?.[1])];
};

function emptySums(rates: KpiRates): KpiSums {
  return {
    m: Object.fromEntries(MEASURE_NAMES.map((c) => [c, 0])) as KpiSums['m'],
    outcomes: {},
    goals: [],
    response: { answered: 0, p50: null, p95: null, avg: null },
    ttr: { p50: null, p95: null, avg: null },
    rates,
  };
}

/** The totals and the groups (in no order), each with its sums. */
export function gatherRows(rows: ReportRow[], rates: KpiRates): { total: KpiSums; groups: GroupSums[] } {
  const groups = new Map<string, GroupSums>();
  const total: GroupSums = { flowId: null, version: null, period: null, sums: emptySums(rates) };
  groups.set('total', total);
  const sumsOf = (r: DimRow): KpiSums => {
    const key = keyOf(r);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { flowId: r.flow_id ?? null, version: r.version ?? null, period: periodIso(r.period), sums: emptySums(rates) }));
    return g.sums;
  };
  for (const row of rows) {
    const s = sumsOf(row);
    if (row.kind === 'main') for (const c of MEASURE_NAMES) s.m[c] = toNumber(row[c]);
    else if (row.kind === 'outcome') s.outcomes[String(row.name)] = Number(row.runs);
    else if (row.kind === 'goal') s.goals.push({ goal: String(row.name), runs: Number(row.runs), value: toNumber(row.value) });
    else if (row.kind === 'response') {
      const [p50, p95] = pair(row.pct);
      s.response = { answered: toNumber(row.answered), p50, p95, avg: toNullableNumber(row.avg) };
    } else if (row.kind === 'ttr') {
      const [p50, p95] = pair(row.ttr);
      s.ttr = { p50, p95, avg: toNullableNumber(row.ttr_avg) };
    }
  }
  groups.delete('total');
  return { total: total.sums, groups: [...groups.values()] };
}
