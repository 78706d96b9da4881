import type { KpiDefinition, KpiSums } from './define';
import { costKpis, roiKpis } from './cost';
import { conversionKpis } from './conversion';
import { csatKpis } from './csat';
import { aiResolutionKpis, escalationKpis } from './escalation';
import { fcrKpis } from './fcr';
import { abandonmentKpis, failureKpis } from './outcomes';
import { responseTimeKpis } from './response-time';
import { timeToResolutionKpis } from './time-to-resolution';
import { volumeKpis } from './volume';

export * from './define';
export { FCR_MEASURES, RUN_MEASURES, type MeasureName, type RunMeasure } from './measures';
export { RUN_FACTS, type RunFact } from './run-facts';

/**
 * Every KPI of the report, in the shape of the report (`GET /api/kpis` totals and groups): a key
 * holding a KPI is a value, a key holding an object is a family. The order is the order of the
 * JSON and of the CSV columns. From it come the report's values (deriveKpiValues), the CSV columns
 * (csv.ts), the KPIs an alert may watch (alert-kpis.ts), the UI labels' keys (`kpi.<id>`) and the
 * API document's KPI properties (apps/api/kpis/dto/kpi-values.dto.ts).
 */
export const KPI_REGISTRY = {
  ...volumeKpis,
  responseTime: responseTimeKpis,
  escalation: escalationKpis,
  aiResolution: aiResolutionKpis,
  fcr: fcrKpis,
  csat: csatKpis,
  abandonment: abandonmentKpis,
  failures: failureKpis,
  timeToResolution: timeToResolutionKpis,
  conversion: conversionKpis,
  cost: costKpis,
  roi: roiKpis,
};

type ValuesOf<R> = { -readonly [K in keyof R]: R[K] extends { derive: (s: KpiSums) => infer T } ? T : ValuesOf<R[K]> };

/** Every KPI of one group (or of the totals): the registry's shape, each KPI's derived value. */
export type KpiValues = ValuesOf<typeof KPI_REGISTRY>;

type DefinitionsOf<R> = { [K in keyof R]: R[K] extends KpiDefinition ? R[K] : DefinitionsOf<R[K]> }[keyof R];
/** Every KPI declaration, as a union of their literal types. */
export type RegisteredKpi = DefinitionsOf<typeof KPI_REGISTRY>;
export type KpiId = RegisteredKpi['id'];

const isKpi = (x: object): x is KpiDefinition => typeof (x as KpiDefinition).derive === 'function';

/** Every KPI with its path in the report (`['escalation', 'rate']`), in registry order. */
export const KPI_LIST: readonly { path: readonly string[]; kpi: RegisteredKpi }[] = (function walk(
  node: object,
  path: string[],
): { path: string[]; kpi: RegisteredKpi }[] {
  return Object.entries(node).flatMap(([key, child]: [string, object]) =>
    isKpi(child) ? [{ path: [...path, key], kpi: child as RegisteredKpi }] : walk(child, [...path, key]),
  );
})(KPI_REGISTRY, []);

/** A KPI's value in a report group, by its path. */
export function valueAt(values: KpiValues, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], values);
}

/** The values of one group: every KPI derived from the group's sums. */
export function deriveKpiValues(sums: KpiSums): KpiValues {
  const build = (node: object): Record<string, unknown> =>
    Object.fromEntries(Object.entries(node).map(([key, child]: [string, object]) => [key, isKpi(child) ? child.derive(sums) : build(child)]));
  return build(KPI_REGISTRY) as KpiValues;
}
