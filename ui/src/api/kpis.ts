/**
 * The KPI routes (`GET /api/kpis`, `/flows/:id/experiments`, `/flows/:id/traffic`) belong to an
 * issue still open. These functions read whatever those routes answer into the shapes the
 * dashboard renders, tolerating naming differences, and return null/[] when there is nothing: the
 * dashboard then says "no data yet". They never make a number up.
 */
import type { ExperimentResult, ExperimentVariant, KpiPoint, KpiReport, TrafficReport } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const squash = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Flattens nested objects to squashed dotted keys: `{responseTime: {p50: 1}}` → `responsetime.p50`. */
function flatten(value: unknown, prefix = '', out: Record<string, number> = {}, depth = 0): Record<string, number> {
  if (!isObj(value) || depth > 3) return out;
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${squash(k)}` : squash(k);
    const n = num(v);
    if (n !== null) out[key] = n;
    else if (isObj(v)) flatten(v, key, out, depth + 1);
  }
  return out;
}

/** The KPIs the dashboard shows, each with how to recognise it in a flattened answer. */
export const KPI_KEYS = {
  responseTimeP50Ms: (k: string) => k.includes('responsetime') && k.includes('p50'),
  responseTimeP95Ms: (k: string) => k.includes('responsetime') && k.includes('p95'),
  escalationRate: (k: string) => k.includes('escalation') && (k.includes('rate') || k.endsWith('escalation')),
  aiResolutionRate: (k: string) => (k.includes('airesolution') || k.includes('resolvedbyai') || k.includes('automation')) && !k.includes('count'),
  csat: (k: string) => k.includes('csat') && !k.includes('count') && !k.includes('responses'),
  conversionRate: (k: string) => k.includes('conversion') && (k.includes('rate') || k.endsWith('conversion')) && !k.includes('lift'),
} as const;
export type KpiKey = keyof typeof KPI_KEYS;

function pickKpis(flat: Record<string, number>): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const [name, match] of Object.entries(KPI_KEYS)) {
    const key = Object.keys(flat).find((k) => match(k));
    if (key !== undefined) values[name] = flat[key];
  }
  // A response time given in seconds (`...Seconds`, `..._sec`) is turned into milliseconds.
  for (const name of ['responseTimeP50Ms', 'responseTimeP95Ms'] as const) {
    const key = Object.keys(flat).find((k) => KPI_KEYS[name](k));
    if (key && /sec/.test(key) && values[name] != null) values[name] = (values[name] as number) * 1000;
  }
  return values;
}

const DATE_KEYS = ['at', 'date', 'day', 'bucket', 'period', 'from', 'start', 'time', 'timestamp'];
const SERIES_KEYS = ['series', 'timeseries', 'buckets', 'points', 'days', 'daily', 'history'];

function pickSeries(source: Obj): KpiPoint[] {
  const raw = SERIES_KEYS.map((k) => source[k]).find(Array.isArray) as unknown[] | undefined;
  if (!raw) return [];
  const points: KpiPoint[] = [];
  for (const item of raw) {
    if (!isObj(item)) continue;
    const dateKey = DATE_KEYS.find((k) => typeof item[k] === 'string' || typeof item[k] === 'number');
    if (!dateKey) continue;
    const flat = flatten(item);
    const values = pickKpis(flat);
    const runs = num(item.runs ?? item.count ?? item.total);
    if (runs !== null) values.runs = runs;
    points.push({ at: String(item[dateKey]), values });
  }
  return points;
}

export function normaliseKpis(body: unknown, flowId?: string): KpiReport | null {
  let source: unknown = body;
  if (isObj(source) && Array.isArray(source.items)) {
    const items = source.items.filter(isObj);
    source = (flowId && items.find((i) => i.flowId === flowId)) || items[0];
  }
  if (isObj(source) && isObj(source.kpis)) source = { ...source, ...source.kpis };
  if (!isObj(source)) return null;
  const values = pickKpis(flatten(source));
  const series = pickSeries(source);
  const runs = num(source.runs ?? source.totalRuns ?? source.count);
  const hasValues = Object.values(values).some((v) => v !== null && v !== undefined);
  if (!hasValues && series.length === 0 && !runs) return null;
  return { values, series, runs };
}

function interval(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2 && num(v[0]) !== null && num(v[1]) !== null) return [num(v[0])!, num(v[1])!];
  if (isObj(v)) {
    const lo = num(v.low ?? v.lower ?? v.from ?? v.min);
    const hi = num(v.high ?? v.upper ?? v.to ?? v.max);
    if (lo !== null && hi !== null) return [lo, hi];
  }
  return null;
}

const firstNum = (o: Obj, keys: string[]) => {
  for (const k of keys) {
    const n = num(o[k]);
    if (n !== null) return n;
  }
  return null;
};

function variantOf(v: Obj): ExperimentVariant | null {
  const id = v.id ?? v.variant ?? v.name;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  return {
    id: String(id),
    exposures: firstNum(v, ['exposures', 'assigned', 'participants', 'visitors', 'n', 'runs']),
    conversions: firstNum(v, ['conversions', 'converted', 'goals']),
    rate: firstNum(v, ['rate', 'conversionRate', 'conversion_rate']),
    lift: firstNum(v, ['lift', 'relativeLift', 'relative_lift', 'uplift']),
    confidence: firstNum(v, ['confidence', 'significance', 'probability', 'probabilityToBeBest']),
    pValue: firstNum(v, ['pValue', 'p_value', 'p']),
    interval: interval(v.ci ?? v.confidenceInterval ?? v.interval ?? v.liftInterval),
  };
}

export function normaliseExperiments(body: unknown): ExperimentResult[] {
  const list = Array.isArray(body) ? body : isObj(body) ? ((body.items ?? body.experiments) as unknown) : null;
  if (!Array.isArray(list)) return [];
  const out: ExperimentResult[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    const rawVariants = (e.variants ?? e.arms) as unknown;
    const variants = Array.isArray(rawVariants) ? rawVariants.filter(isObj).map(variantOf).filter((v): v is ExperimentVariant => v !== null) : [];
    if (variants.length === 0) continue;
    const name = e.experiment ?? e.key ?? e.name ?? e.id;
    out.push({
      experiment: typeof name === 'string' ? name : '?',
      nodeId: typeof e.nodeId === 'string' ? e.nodeId : null,
      goal: typeof e.goal === 'string' ? e.goal : null,
      variants,
      significant: typeof e.significant === 'boolean' ? e.significant : null,
    });
  }
  return out;
}

export function normaliseTraffic(body: unknown): TrafficReport | null {
  if (!isObj(body)) return null;
  const edges: TrafficReport['edges'] = [];
  for (const e of Array.isArray(body.edges) ? body.edges : []) {
    if (!isObj(e) || typeof e.source !== 'string') continue;
    const count = firstNum(e, ['count', 'runs', 'traversals', 'total', 'value']);
    if (count === null) continue;
    edges.push({
      id: typeof (e.id ?? e.edgeId) === 'string' ? String(e.id ?? e.edgeId) : null,
      source: e.source,
      sourceHandle: typeof (e.sourceHandle ?? e.branch) === 'string' ? String(e.sourceHandle ?? e.branch) : null,
      target: typeof e.target === 'string' ? e.target : null,
      count,
    });
  }
  const nodes: TrafficReport['nodes'] = [];
  for (const n of Array.isArray(body.nodes) ? body.nodes : []) {
    if (!isObj(n)) continue;
    const nodeId = n.nodeId ?? n.id;
    if (typeof nodeId !== 'string') continue;
    nodes.push({ nodeId, entered: firstNum(n, ['entered', 'visits', 'count', 'runs']), dropOff: firstNum(n, ['dropOff', 'dropped', 'abandoned', 'dropOffRate', 'exits']) });
  }
  if (edges.length === 0 && nodes.length === 0) return null;
  return { edges, nodes };
}
