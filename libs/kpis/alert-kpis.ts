import { KPI_LIST, KpiId, KpiValues, RegisteredKpi, valueAt } from './registry';

/** A KPI an alert rule may watch: those declared with `alert` in the registry. */
export type AlertKpi = Extract<RegisteredKpi, { alert: object }>['id'];

export interface AlertKpiSpec {
  value: (v: KpiValues) => number | null;
  /** The count the value is measured over (a rule needs a minimum sample before it fires). */
  sample: (v: KpiValues) => number;
  description: string;
}

const pathOf = new Map<string, readonly string[]>(KPI_LIST.map(({ path, kpi }) => [kpi.id, path]));
const numberAt = (path: readonly string[]) => (v: KpiValues) => valueAt(v, path) as number | null;

/** The KPIs an alert rule may watch, each with the count it is measured over (its sample), in registry order. */
export const ALERT_KPIS = Object.fromEntries(
  KPI_LIST.flatMap(({ path, kpi }) => {
    if (!('alert' in kpi) || !kpi.alert) return [];
    const sample = pathOf.get(kpi.alert.sample satisfies KpiId);
    if (!sample) throw new Error(`KPI ${kpi.id}: its alert sample ${kpi.alert.sample} is no KPI`);
    const spec: AlertKpiSpec = { value: numberAt(path), sample: (v) => numberAt(sample)(v) ?? 0, description: kpi.description };
    return [[kpi.id, spec]];
  }),
) as Record<AlertKpi, AlertKpiSpec>;

export const ALERT_KPI_NAMES = Object.keys(ALERT_KPIS) as AlertKpi[];
