import type { KpiQuery } from './kpis';
import { FCR_MEASURES, RUN_MEASURES } from './registry';
import { TTR_SECONDS, windowSources } from './rollups';
import { EventScope, Params, scopeFilter, unionAll as union } from './sql';

/**
 * The KPI report's SQL: four statements over the cohort (runs started in [from, to)), each
 * returning rows tagged by `kind` with the group's dims and `is_total`. report-rows.ts gathers them.
 */

export interface Dims {
  names: ('flow_id' | 'version' | 'period')[];
}

export function dimensions(q: KpiQuery): Dims {
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
export function reportSql(q: KpiQuery, scope: EventScope, d: Dims): { sql: string; values: unknown[] }[] {
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
        ms.daily &&
          `SELECT flow_id, version${ms.dailyPeriod}, ${measures.join(', ')}, width_bucket(${windowUs}, fcr_gaps_us) AS fcr_recontact, 0 AS fcr_pending ${ms.daily}`,
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
      ${[...RUN_MEASURES, ...FCR_MEASURES.map((c) => [c, '', 'int'] as const)]
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
