import type { KpiRates } from './config';
import { refreshRunFacts } from './facts';
import { RUN_MEASURES, TTR_SECONDS, windowSources } from './rollups';
import { EventScope, Interval, KpiDb, Params, ratio, scopeFilter, toNullableNumber, toNumber, unionAll as union, withWorkMem } from './sql';

/**
 * The KPI service: every KPI of a period, per flow, version and period bucket, computed in
 * PostgreSQL from `run_events` (see README, "KPIs and experiments", for the definitions), through
 * the per-run facts (facts.ts) and their daily rollups (rollups.ts).
 *
 * The one rule behind every number: **a run belongs to the period in which it started** (its
 * `run.started` event lies in [from, to)), and all its events count there, even those after `to`.
 * A run started before `from` does not count, whatever happened in the window. Rates about how runs
 * ended are over the *finished* runs of that cohort (those with `run.finished`); open runs only add to
 * `runs` and `open`. Event-level KPIs (response time, CSAT) use every run of the cohort.
 */

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
  /** Bring the per-run facts up to date first (default true; see facts.ts). */
  refresh?: boolean;
}

export interface KpiValues {
  /** Runs that started in the period (the cohort). */
  runs: number;
  /** Of those, runs that finished (a `run.finished` event), whenever; and the rest, still open. */
  finished: number;
  open: number;
  /** Finished runs per outcome (`run.finished.data.outcome`). */
  outcomes: Record<string, number>;
  responseTime: {
    /** Customer turns answered: a customer message (or several in a row) followed by a reply. */
    turns: number;
    /** Customer turns with no reply (yet). */
    unanswered: number;
    p50Ms: number | null;
    p95Ms: number | null;
    avgMs: number | null;
  };
  escalation: {
    /** Finished runs that reached an escalation ladder (`escalation.tier`). */
    escalated: number;
    /** Finished runs in which an agent accepted (`escalation.accepted`). */
    humanHandled: number;
    rate: number | null;
  };
  aiResolution: {
    /** Finished runs with outcome `resolved` and no agent (`escalation.accepted`). */
    resolved: number;
    rate: number | null;
  };
  fcr: {
    windowHours: number;
    /** Finished runs of a known customer whose outcome is settled: a new run came, or the window passed. */
    eligible: number;
    /** Of those, no new run of the same customer and flow within the window after the run ended. */
    firstContact: number;
    /** Finished runs of a known customer still inside their window with no new run: not counted yet. */
    pending: number;
    rate: number | null;
  };
  csat: {
    responses: number;
    average: number | null;
    /** Share of 4s and 5s. */
    topShare: number | null;
  };
  abandonment: { abandoned: number; rate: number | null };
  failures: { failed: number; rate: number | null };
  timeToResolution: {
    /** Finished runs with outcome `resolved`; time from `run.started` to `run.finished`. */
    resolved: number;
    p50Seconds: number | null;
    p95Seconds: number | null;
    avgSeconds: number | null;
  };
  conversion: {
    /** Finished runs with at least one `goal`. */
    converted: number;
    rate: number | null;
    value: number;
    perGoal: { goal: string; runs: number; rate: number | null; value: number }[];
  };
  cost: {
    promptTokens: number;
    completionTokens: number;
    llmUsd: number;
    humanMinutes: number;
    humanUsd: number;
    totalUsd: number;
    /** totalUsd / finished runs. */
    perInteractionUsd: number | null;
  };
  roi: {
    /** finished × baseline cost per contact: what the contacts would have cost without the flow. */
    baselineUsd: number;
    /** baselineUsd − totalUsd. */
    savingsUsd: number;
    /** savingsUsd / totalUsd; null when nothing was spent. */
    roi: number | null;
  };
}

export interface KpiGroup extends KpiValues {
  flowId: string | null;
  version: number | null;
  /** Start of the bucket (ISO, UTC) when an interval was asked for. */
  period: string | null;
}

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
}

interface Dims {
  names: ('flow_id' | 'version' | 'period')[];
}

function dimensions(q: KpiQuery): Dims {
  const names: Dims['names'] = [];
  if (q.groupBy === 'flow' || q.groupBy === 'version') names.push('flow_id');
  if (q.groupBy === 'version') names.push('version');
  if (q.interval) names.push('period');
  return { names };
}

/** `GROUP BY GROUPING SETS ((extra), (dims, extra))`, or just the extra when there are no dims. */
function groupingSets(d: Dims, extra: string[]): string {
  const e = extra.join(', ');
  if (d.names.length === 0) return extra.length ? `GROUP BY ${e}` : '';
  return `GROUP BY GROUPING SETS ((${e}), (${[...d.names, ...extra].join(', ')}))`;
}

/** The dims plus `is_total` (1 on the rows that sum every group). */
function dimColumns(d: Dims): string {
  if (d.names.length === 0) return '1 AS is_total';
  return `${d.names.join(', ')}, GROUPING(${d.names[0]}) AS is_total`;
}

/**
 * Where a report's runs come from (see rollups.ts): the whole UTC days of the window from
 * `kpi_daily`, one row per flow, version and day; the partial days at its edges, and every run of an
 * hourly breakdown, from `kpi_run_facts`, one row per run. Each statement takes the union of both,
 * the facts side going through the same per-run measures the daily sums were made of.
 */
interface Sources {
  /** `FROM kpi_daily ... WHERE ...`, or null when the window holds no whole day. */
  daily: string | null;
  /** `FROM kpi_run_facts ... WHERE ...` clauses: the window's runs outside those days (see windowSources). */
  facts: string[];
  /** `, <period> AS period` of a daily row and of a fact row, or '' without an interval. */
  dailyPeriod: string;
  factPeriod: string;
}

function sources(p: Params, q: KpiQuery, scope: EventScope): Sources {
  const w = windowSources(p, scope.from, scope.to, (prefix) => scopeFilter(p, scope, prefix.replace(/\.$/, '')), q.interval === 'hour');
  return {
    daily: w.daily('kpi_daily'),
    facts: w.perRun('kpi_run_facts'),
    dailyPeriod: q.interval ? `, date_trunc('${q.interval}', day::timestamp) AT TIME ZONE 'UTC' AS period` : '',
    factPeriod: q.interval ? `, date_trunc('${q.interval}', started_at, 'UTC') AS period` : '',
  };
}

/** A NULL of each dim's type, for the rows that sum every group. */
const NULL_DIM: Record<Dims['names'][number], string> = { flow_id: 'NULL::uuid', version: 'NULL::int', period: 'NULL::timestamptz' };

/**
 * Ordered-set aggregates (`aggregates`, over the values `v`) in total and per group, from `sources`:
 * rows of the dims and an array `a` of values each. Not GROUPING SETS: those sort every unnested
 * value by the group keys; here the source rows, one array each, are sorted by the groups before
 * their values are unnested, so the groups arrive in order (measured on the flow-and-day breakdown of
 * the benchmark, 78,000 response times: 107 ms of CPU against ~55 ms).
 */
function percentileSql(d: Dims, kind: string, sources: string, aggregates: string): string {
  const total = `
    SELECT '${kind}' AS kind, ${d.names.map((n) => `${NULL_DIM[n]} AS ${n}, `).join('')}1 AS is_total, ${aggregates}
    FROM (SELECT unnest(a) AS v FROM src) t`;
  if (d.names.length === 0) return `WITH src AS (${sources}) ${total}`;
  const dims = d.names.join(', ');
  return `
    WITH src AS MATERIALIZED (
      ${sources}
    )
    ${total}
    UNION ALL
    SELECT '${kind}', ${dims}, 0, ${aggregates}
    FROM (SELECT ${dims}, unnest(a) AS v FROM src ORDER BY ${dims}) t
    GROUP BY ${dims}`;
}

/**
 * The report's four statements, run in parallel, each over the cohort (runs started in [from, to)):
 * the per-group sums, first-contact answers included; outcomes and goals; response-time percentiles
 * over every answered turn; time-to-resolution percentiles. Each returns rows tagged by `kind`, with
 * the dims and `is_total` (plain columns: a jsonb per row cost ~15 ms more CPU on the 3,600 outcome
 * rows of the benchmark's flow-and-day breakdown).
 */
function reportSql(q: KpiQuery, scope: EventScope, d: Dims): { sql: string; values: unknown[] }[] {
  const m = new Params();
  const ms = sources(m, q, scope);
  const window = m.add(`${q.rates.fcrWindowHours * 3600} seconds`);
  const now = m.add(q.now ?? new Date());
  const windowUs = `(extract(epoch FROM ${window}::interval) * 1000000)::int8`;
  // A settled run was followed by the customer's next run within the window: exactly the runs whose
  // gap (sorted in kpi_daily) is at most the window, so width_bucket counts them.
  const recontact = `((customer_id IS NOT NULL AND finished_at IS NOT NULL AND next_start <= finished_at + ${window}::interval) IS TRUE)::int`;
  const measures = RUN_MEASURES.map(([c]) => c);
  const main = `
    WITH parts AS (
      ${union(
        ms.daily && `SELECT flow_id, version${ms.dailyPeriod}, ${measures.join(', ')}, width_bucket(${windowUs}, fcr_gaps_us) AS fcr_recontact, 0 AS fcr_pending ${ms.daily}`,
        ...ms.facts.map(
          (facts) =>
            `SELECT flow_id, version${ms.factPeriod}, ${RUN_MEASURES.map(([c, perRun]) => `${perRun} AS ${c}`).join(', ')}, ${recontact} AS fcr_recontact, 0 AS fcr_pending ${facts}`,
        ),
        // Settled runs with no recontact yet whose window has not passed by "now": pending, not
        // judged. Only runs finished within the window before now qualify: found by finish time.
        `SELECT flow_id, version${ms.factPeriod}, ${measures.map((c) => `0 AS ${c}`).join(', ')}, 0 AS fcr_recontact, 1 AS fcr_pending
         FROM kpi_run_facts
         WHERE started_at >= ${m.add(scope.from)} AND started_at < ${m.add(scope.to)}${scopeFilter(m, scope)}
           AND customer_id IS NOT NULL AND finished_at > ${now}::timestamptz - ${window}::interval
           AND (next_start IS NULL OR next_start > finished_at + ${window}::interval)`,
      )}
    )
    SELECT 'main' AS kind, ${dimColumns(d)},
      ${[...RUN_MEASURES, ['fcr_recontact', '', 'int'] as const, ['fcr_pending', '', 'int'] as const]
        .map(([c, , type]) => `coalesce(sum(${c}), 0)::${type} AS ${c}`)
        .join(',\n      ')}
    FROM parts
    ${groupingSets(d, [])}`;

  const o = new Params();
  const os = sources(o, q, scope);
  const keys = (alias: string) => `${alias}.flow_id, ${alias}.version${q.interval ? `, ${alias}.period` : ''}`;
  const outcomes = `
    WITH ${os.daily ? `d AS (SELECT flow_id, version${os.dailyPeriod}, outcomes, goal_runs, goal_value ${os.daily}),` : ''}
    f AS (
      ${union(...os.facts.map((facts) => `SELECT flow_id, version${os.factPeriod}, outcome, goals ${facts} AND finished_at IS NOT NULL AND outcome IS NOT NULL`))}
    ),
    o AS (
      ${union(
        os.daily && `SELECT ${keys('d')}, o.key AS name, o.value::int AS runs FROM d CROSS JOIN LATERAL jsonb_each_text(d.outcomes) AS o(key, value)`,
        `SELECT ${keys('f')}, f.outcome AS name, 1 AS runs FROM f`,
      )}
    ),
    g AS (
      ${union(
        os.daily &&
          `SELECT ${keys('d')}, g.key AS name, g.value::int AS runs, (d.goal_value->>g.key)::float8 AS value
           FROM d CROSS JOIN LATERAL jsonb_each_text(d.goal_runs) AS g(key, value)`,
        `SELECT ${keys('f')}, g.key AS name, 1 AS runs, g.value::float8 AS value FROM f CROSS JOIN LATERAL jsonb_each_text(f.goals) AS g(key, value) WHERE f.goals <> '{}'::jsonb`,
      )}
    )
    SELECT 'outcome' AS kind, ${dimColumns(d)}, name, sum(runs)::int AS runs, NULL::float8 AS value FROM o ${groupingSets(d, ['name'])}
    UNION ALL
    SELECT 'goal', ${dimColumns(d)}, name, sum(runs)::int, sum(value)::float8 FROM g ${groupingSets(d, ['name'])}`;

  // Percentiles over every value: the daily rows keep them all, so the result is exact.
  const r = new Params();
  const rs = sources(r, q, scope);
  const responses = percentileSql(
    d,
    'response',
    union(
      rs.daily && `SELECT flow_id, version${rs.dailyPeriod}, response_ms AS a ${rs.daily} AND response_ms <> '{}'`,
      ...rs.facts.map((facts) => `SELECT flow_id, version${rs.factPeriod}, response_ms AS a ${facts} AND response_ms <> '{}'`),
    ),
    `count(*)::int AS answered, percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY v) AS pct, avg(v)::float8 AS avg`,
  );

  const t = new Params();
  const ts = sources(t, q, scope);
  const ttr = percentileSql(
    d,
    'ttr',
    union(
      ts.daily && `SELECT flow_id, version${ts.dailyPeriod}, ttr_s AS a ${ts.daily} AND ttr_s <> '{}'`,
      ...ts.facts.map((facts) => `SELECT flow_id, version${ts.factPeriod}, ARRAY[${TTR_SECONDS}] AS a ${facts} AND outcome = 'resolved'`),
    ),
    `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY v) AS ttr, avg(v)::float8 AS ttr_avg`,
  );
  return [
    { sql: main, values: m.values },
    { sql: outcomes, values: o.values },
    { sql: responses, values: r.values },
    { sql: ttr, values: t.values },
  ];
}

interface DimRow {
  is_total: number;
  flow_id?: string | null;
  version?: number | null;
  period?: Date | string | null;
}

interface MainRow extends DimRow {
  runs: number;
  finished: number;
  escalated: number;
  human: number;
  ai_resolved: number;
  converted: number;
  human_minutes: number;
  prompt_tokens: number;
  completion_tokens: number;
  reported_cost: number;
  csat_sum: number;
  csat_n: number;
  csat_top: number;
  unanswered: number;
  fcr_settled: number;
  fcr_recontact: number;
  fcr_pending: number;
  resolved: number;
}

interface Acc {
  flowId: string | null;
  version: number | null;
  period: string | null;
  main?: MainRow;
  outcomes: Record<string, number>;
  response?: { answered: number; pct: [number, number] | null; avg: number | null };
  ttr?: { ttr: [number, number] | null; ttr_avg: number | null };
  goals: { goal: string; runs: number; value: number }[];
}

const periodIso = (p: Date | string | null | undefined) => (p ? new Date(p).toISOString() : null);
const keyOf = (r: DimRow) => (Number(r.is_total) === 1 ? 'total' : JSON.stringify([r.flow_id ?? null, r.version ?? null, periodIso(r.period)]));

/** Computes every KPI of the period (see KpiValues for the definitions). */
export async function computeKpis(db: KpiDb, q: KpiQuery): Promise<KpiReport> {
  if (!(q.from < q.to)) throw new RangeError('from must be before to');
  const scope: EventScope = { from: q.from, to: q.to, flowIds: q.flowIds ?? null, version: q.version };
  const d = dimensions(q);
  if (q.refresh !== false) await refreshRunFacts(db);
  let rows: (DimRow & { kind: string } & Record<string, unknown>)[] = [];
  if (!(scope.flowIds !== null && scope.flowIds.length === 0)) {
    const parts = await Promise.all(reportSql(q, scope, d).map(({ sql, values: params }) => withWorkMem(db, async (c) => (await c.query(sql, params)).rows)));
    rows = parts.flat();
  }

  const accs = new Map<string, Acc>();
  const acc = (r: DimRow): Acc => {
    const key = keyOf(r);
    let a = accs.get(key);
    if (!a) {
      a = key === 'total'
        ? { flowId: null, version: null, period: null, outcomes: {}, goals: [] }
        : { flowId: r.flow_id ?? null, version: r.version ?? null, period: periodIso(r.period), outcomes: {}, goals: [] };
      accs.set(key, a);
    }
    return a;
  };
  acc({ is_total: 1 });
  for (const row of rows) {
    const { kind } = row;
    if (kind === 'main') acc(row).main = row as unknown as MainRow;
    else if (kind === 'outcome') acc(row).outcomes[String(row.name)] = Number(row.runs);
    else if (kind === 'response') acc(row).response = row as unknown as Acc['response'];
    else if (kind === 'ttr') acc(row).ttr = row as unknown as Acc['ttr'];
    else if (kind === 'goal') acc(row).goals.push({ goal: String(row.name), runs: Number(row.runs), value: toNumber(row.value) });
  }

  const groups: KpiGroup[] = [];
  for (const [key, a] of accs) {
    if (key !== 'total') groups.push({ flowId: a.flowId, version: a.version, period: a.period, ...values(a, q.rates) });
  }
  groups.sort((x, y) => (x.flowId ?? '').localeCompare(y.flowId ?? '') || (x.version ?? 0) - (y.version ?? 0) || (x.period ?? '').localeCompare(y.period ?? ''));
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    flowIds: scope.flowIds,
    version: q.version ?? null,
    groupBy: q.groupBy ?? null,
    interval: q.interval ?? null,
    rates: q.rates,
    totals: values(accs.get('total')!, q.rates),
    groups,
  };
}

function values(a: Acc, rates: KpiRates): KpiValues {
  const m = a.main;
  const n = (k: keyof MainRow) => toNumber(m?.[k]);
  const runs = n('runs');
  const finished = n('finished');
  const csatN = n('csat_n');
  const promptTokens = n('prompt_tokens');
  const completionTokens = n('completion_tokens');
  const tokenPricing = rates.promptTokenCost !== null || rates.completionTokenCost !== null;
  const llmUsd = tokenPricing
    ? (promptTokens * (rates.promptTokenCost ?? 0)) / 1000 + (completionTokens * (rates.completionTokenCost ?? 0)) / 1000
    : n('reported_cost');
  const humanMinutes = n('human_minutes');
  const humanUsd = humanMinutes * rates.humanMinuteCost;
  const totalUsd = llmUsd + humanUsd;
  const baselineUsd = finished * rates.baselineCostPerContact;
  const r = a.response;
  const converted = n('converted');
  // Every settled run is either followed by a recontact within the window, judged first-contact
  // (its window passed without one), or pending (its window is still open).
  const pending = n('fcr_pending');
  const eligible = n('fcr_settled') - pending;
  const firstContact = n('fcr_settled') - n('fcr_recontact') - pending;
  const abandoned = a.outcomes.abandoned ?? 0;
  const failed = a.outcomes.failed ?? 0;
  return {
    runs,
    finished,
    open: runs - finished,
    outcomes: Object.fromEntries(Object.entries(a.outcomes).sort(([x], [y]) => x.localeCompare(y))),
    responseTime: {
      turns: r?.answered ?? 0,
      unanswered: n('unanswered'),
      p50Ms: toNullableNumber(r?.pct?.[0]),
      p95Ms: toNullableNumber(r?.pct?.[1]),
      avgMs: toNullableNumber(r?.avg),
    },
    escalation: { escalated: n('escalated'), humanHandled: n('human'), rate: ratio(n('escalated'), finished) },
    aiResolution: { resolved: n('ai_resolved'), rate: ratio(n('ai_resolved'), finished) },
    fcr: { windowHours: rates.fcrWindowHours, eligible, firstContact, pending, rate: ratio(firstContact, eligible) },
    csat: { responses: csatN, average: csatN > 0 ? n('csat_sum') / csatN : null, topShare: ratio(n('csat_top'), csatN) },
    abandonment: { abandoned, rate: ratio(abandoned, finished) },
    failures: { failed, rate: ratio(failed, finished) },
    timeToResolution: {
      resolved: n('resolved'),
      p50Seconds: toNullableNumber(a.ttr?.ttr?.[0]),
      p95Seconds: toNullableNumber(a.ttr?.ttr?.[1]),
      avgSeconds: toNullableNumber(a.ttr?.ttr_avg),
    },
    conversion: {
      converted,
      rate: ratio(converted, finished),
      value: a.goals.reduce((t, g) => t + g.value, 0),
      perGoal: a.goals.map((g) => ({ goal: g.goal, runs: g.runs, rate: ratio(g.runs, finished), value: g.value })).sort((x, y) => x.goal.localeCompare(y.goal)),
    },
    cost: { promptTokens, completionTokens, llmUsd, humanMinutes, humanUsd, totalUsd, perInteractionUsd: ratio(totalUsd, finished) },
    roi: { baselineUsd, savingsUsd: baselineUsd - totalUsd, roi: totalUsd > 0 ? (baselineUsd - totalUsd) / totalUsd : null },
  };
}

// ---- flat views (alerts, CSV) ----------------------------------------------------------------

/** The KPIs an alert rule may watch, each with the count it is measured over (its sample). */
export const ALERT_KPIS = {
  runs: { value: (v: KpiValues) => v.runs, sample: (v: KpiValues) => v.runs, description: 'runs started' },
  escalationRate: { value: (v: KpiValues) => v.escalation.rate, sample: (v: KpiValues) => v.finished, description: 'share of finished runs that escalated (0-1)' },
  aiResolutionRate: { value: (v: KpiValues) => v.aiResolution.rate, sample: (v: KpiValues) => v.finished, description: 'share of finished runs resolved without an agent (0-1)' },
  fcrRate: { value: (v: KpiValues) => v.fcr.rate, sample: (v: KpiValues) => v.fcr.eligible, description: 'first-contact resolution (0-1)' },
  csatAverage: { value: (v: KpiValues) => v.csat.average, sample: (v: KpiValues) => v.csat.responses, description: 'average CSAT score (1-5)' },
  csatTopShare: { value: (v: KpiValues) => v.csat.topShare, sample: (v: KpiValues) => v.csat.responses, description: 'share of CSAT 4s and 5s (0-1)' },
  abandonmentRate: { value: (v: KpiValues) => v.abandonment.rate, sample: (v: KpiValues) => v.finished, description: 'share of finished runs abandoned (0-1)' },
  failureRate: { value: (v: KpiValues) => v.failures.rate, sample: (v: KpiValues) => v.finished, description: 'share of finished runs that failed (0-1)' },
  responseTimeP50Ms: { value: (v: KpiValues) => v.responseTime.p50Ms, sample: (v: KpiValues) => v.responseTime.turns, description: 'median response time (ms)' },
  responseTimeP95Ms: { value: (v: KpiValues) => v.responseTime.p95Ms, sample: (v: KpiValues) => v.responseTime.turns, description: '95th percentile response time (ms)' },
  timeToResolutionP50Seconds: { value: (v: KpiValues) => v.timeToResolution.p50Seconds, sample: (v: KpiValues) => v.timeToResolution.resolved, description: 'median time to resolution (s)' },
  conversionRate: { value: (v: KpiValues) => v.conversion.rate, sample: (v: KpiValues) => v.finished, description: 'share of finished runs with a goal (0-1)' },
  costPerInteractionUsd: { value: (v: KpiValues) => v.cost.perInteractionUsd, sample: (v: KpiValues) => v.finished, description: 'cost per finished run (USD)' },
  roi: { value: (v: KpiValues) => v.roi.roi, sample: (v: KpiValues) => v.finished, description: 'ROI against the baseline cost per contact' },
} as const;
export type AlertKpi = keyof typeof ALERT_KPIS;
export const ALERT_KPI_NAMES = Object.keys(ALERT_KPIS) as AlertKpi[];

/** One flat record of numbers per KPI group, for CSV. */
export function flattenKpis(v: KpiValues): Record<string, number | null> {
  return {
    runs: v.runs,
    finished: v.finished,
    open: v.open,
    response_turns: v.responseTime.turns,
    response_unanswered: v.responseTime.unanswered,
    response_p50_ms: v.responseTime.p50Ms,
    response_p95_ms: v.responseTime.p95Ms,
    response_avg_ms: v.responseTime.avgMs,
    escalated: v.escalation.escalated,
    human_handled: v.escalation.humanHandled,
    escalation_rate: v.escalation.rate,
    ai_resolved: v.aiResolution.resolved,
    ai_resolution_rate: v.aiResolution.rate,
    fcr_eligible: v.fcr.eligible,
    fcr_first_contact: v.fcr.firstContact,
    fcr_pending: v.fcr.pending,
    fcr_rate: v.fcr.rate,
    csat_responses: v.csat.responses,
    csat_average: v.csat.average,
    csat_top_share: v.csat.topShare,
    abandoned: v.abandonment.abandoned,
    abandonment_rate: v.abandonment.rate,
    failed: v.failures.failed,
    failure_rate: v.failures.rate,
    resolved: v.timeToResolution.resolved,
    ttr_p50_s: v.timeToResolution.p50Seconds,
    ttr_p95_s: v.timeToResolution.p95Seconds,
    ttr_avg_s: v.timeToResolution.avgSeconds,
    converted: v.conversion.converted,
    conversion_rate: v.conversion.rate,
    conversion_value: v.conversion.value,
    prompt_tokens: v.cost.promptTokens,
    completion_tokens: v.cost.completionTokens,
    llm_usd: v.cost.llmUsd,
    human_minutes: v.cost.humanMinutes,
    human_usd: v.cost.humanUsd,
    total_usd: v.cost.totalUsd,
    cost_per_interaction_usd: v.cost.perInteractionUsd,
    baseline_usd: v.roi.baselineUsd,
    savings_usd: v.roi.savingsUsd,
    roi: v.roi.roi,
  };
}
