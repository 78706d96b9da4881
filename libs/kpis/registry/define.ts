import type { KpiRates } from '../config';
import { ratio } from '../sql';
import type { MeasureName } from './measures';

/**
 * What one KPI declaration says, and what a KPI is derived from. The report query (report-sql.ts)
 * sums the measures per group; report-rows.ts gathers them, with the outcomes, goals and
 * percentiles, into one KpiSums per group; every KPI's `derive` turns that into its value.
 */
export interface KpiSums {
  /** The additive measures summed over the group's runs (measures.ts). */
  m: Record<MeasureName, number>;
  /** Finished runs per outcome (`run.finished` data.outcome). */
  outcomes: Record<string, number>;
  /** Finished runs per goal, with the sum of the goal events' value. */
  goals: { goal: string; runs: number; value: number }[];
  /** Response times of the answered customer turns (ms). */
  response: { answered: number; p50: number | null; p95: number | null; avg: number | null };
  /** Times to resolution of the resolved runs (s). */
  ttr: { p50: number | null; p95: number | null; avg: number | null };
  /** The rates and windows of the request. */
  rates: KpiRates;
}

export type KpiUnit = 'runs' | 'turns' | 'answers' | 'ratio' | 'ms' | 'seconds' | 'hours' | 'score' | 'tokens' | 'minutes' | 'usd' | 'value';

/** Which sums a KPI reads and how its value follows from them. */
export interface Derivation<T> {
  /** The measures (measures.ts) it reads; '' for none (report-side aggregates, rates). */
  measures: readonly MeasureName[];
  derive: (s: KpiSums) => T;
}

export interface KpiDefinition<T = unknown> extends Derivation<T> {
  /** Its name everywhere: the alert rule's `kpi`, the UI label `kpi.<id>`. Never rename one (stored alert rules use it). */
  id: string;
  /** What it counts, in English, with its unit. */
  description: string;
  unit: KpiUnit;
  /** Its column in the CSV export; absent for values that are not one number (outcomes, per goal) or echo a setting. */
  csv?: string;
  /** An alert rule may watch it; `sample` is the id of the KPI that counts what it is measured over. */
  alert?: { sample: string };
  /**
   * Its value can be null (nothing to divide by, no sample): the API document says so (`nullable`).
   * Present exactly when `derive` may return null; kpi() refuses a declaration where the two disagree.
   */
  nullable?: true;
}

/** `nullable: true` where the derivation may return null, and nothing where it cannot. */
type NullableFlag<D> = D extends { derive: (s: KpiSums) => infer T } ? (null extends T ? { nullable: true } : { nullable?: never }) : never;

/** One KPI. `const`: its id stays a literal type, so the alert names are a union the compiler checks. */
export function kpi<const D extends KpiDefinition<unknown>>(definition: D & NullableFlag<D>): D {
  return definition;
}

/** A measure as it is: `escalated` runs. */
export const count = (measure: MeasureName): Derivation<number> => ({ measures: [measure], derive: (s) => s.m[measure] });

/** A share: `escalated` / `finished`, null when nothing to divide by. */
export const share = (part: MeasureName, whole: MeasureName): Derivation<number | null> & { nullable: true } => ({
  measures: [part, whole],
  nullable: true,
  derive: (s) => ratio(s.m[part], s.m[whole]),
});

/** Anything else over the named measures. */
export const derived = <T>(measures: readonly MeasureName[], derive: (s: KpiSums) => T): Derivation<T> => ({ measures, derive });
