import type { Pool } from 'pg';
import { LLM_USAGE_EVENT_TYPES } from '../../contracts/run-events';
import { RUN_MEASURES } from './registry';
import { typeIn, typeIs, typeNotIn } from './run-event-sql';
import { jsonNumber, Params } from './sql';

/**
 * Daily rollups of the per-run facts, so a 30-day KPI query reads one row per flow, version and UTC
 * day instead of one per run (migration 1764400000000-KpiQuerySpeed).
 *
 * - `kpi_daily`: per (flow, version, day of the run's start) the sums of every additive measure of
 *   `kpi_run_facts` (RUN_MEASURES, registry/measures.ts), and, to keep the non-additive KPIs exact: every response time and
 *   every time to resolution (percentiles are taken over the values themselves, never estimated),
 *   the outcomes and goals as jsonb counts, and the sorted gaps between each settled run's end and
 *   the customer's next run, so first-contact resolution can be counted for any window length the
 *   request asks for (`width_bucket` on a sorted array is a binary search).
 * - `kpi_node_facts`: per run and node, what the node did (NODE_FACTS_SQL, kept with the run facts);
 *   `kpi_node_daily` and `kpi_edge_daily` are its daily sums per node and per branch.
 *
 * A query splits its window [from, to) (windowSources): the whole UTC days inside it come from the
 * rollups, the partial days at its edges from the per-run rows; both sides go through the same
 * measures, so the split never changes a number. Hourly breakdowns read the per-run rows only.
 *
 * Staying current: statement triggers on `kpi_run_facts` mark the old and the new day of every row
 * written or deleted in `kpi_dirty_days`, in the writer's transaction, so the mark commits with the
 * change. A late event, a `run.started` that arrives last, a run that finishes the next day (it stays
 * in the day it started) and a recontact that changes an older run's first-contact gap all rewrite a
 * fact row and so mark its day. Queries read a marked day from the per-run rows, so they are exact
 * at once; `rollUpDirtyDays`, run by refreshRunFacts after the facts, recomputes the marked days
 * that have settled (ROLLUP_SETTLE_SECONDS without a new mark) and clears their marks in one
 * transaction. A day is recomputed whole: its cost grows with the runs of that day (one
 * flow-version-day of the benchmark: ~24 runs), not with the history, and is paid once per quiet
 * spell, not at every refresh.
 */

const fin = 'finished_at IS NOT NULL';

/** A run's time to resolution in seconds (for resolved runs), as kpis.ts has always measured it. */
export const TTR_SECONDS = `date_part('epoch', finished_at - started_at)`;

/** Microseconds from a settled run's end to the customer's next run of the flow (exact: numeric epoch). */
const GAP_US = `(extract(epoch FROM next_start - finished_at) * 1000000)::int8`;

/** The whole UTC days inside [from, to), as dates ('YYYY-MM-DD', end exclusive), or null when there is none. */
export function wholeDays(from: Date, to: Date): { first: string; end: string } | null {
  const DAY = 86_400_000;
  const first = Math.ceil(from.getTime() / DAY) * DAY;
  const end = Math.floor(to.getTime() / DAY) * DAY;
  if (!(first < end)) return null;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { first: iso(first), end: iso(end) };
}

const midnight = (date: string) => `${date}::date::timestamp AT TIME ZONE 'UTC'`;

/** Where a query over a window reads its runs: see windowSources. */
export interface WindowSources {
  /**
   * `FROM <table> WHERE ...` over a daily table (kpi_daily, kpi_node_daily, kpi_edge_daily): the whole
   * days of the window whose rollup is current; null when the window holds no whole day.
   */
  daily(table: string): string | null;
  /**
   * `FROM ... WHERE ...` clauses over a per-run table (kpi_run_facts, kpi_node_facts), under that
   * table's name: the partial days at the window's edges, and the whole days still marked dirty.
   */
  perRun(table: string): string[];
}

/**
 * Splits a window [from, to) between the daily rollups and the per-run rows (params added to `p`).
 * `filter(prefix)` gives the caller's conditions (flows, version) on a table prefix ('' or 'k.').
 *
 * A day marked in kpi_dirty_days is read from the per-run rows, never from its rollup, so a query is
 * exact however far behind the rollups are: the mark commits with the fact change, the rollup and the
 * removal of the mark commit together, and one statement sees both tables in one snapshot. That lets
 * the refresh leave busy days alone (see rollUpDirtyDays): today's, constantly marked, costs a query
 * the per-run rows of one day instead of costing every refresh a whole day's recompute.
 * `hourly` (an hourly breakdown) reads every run from the per-run rows.
 */
export function windowSources(p: Params, from: Date, to: Date, filter: (prefix: string) => string, hourly = false): WindowSources {
  const f = p.add(from);
  const t = p.add(to);
  const days = hourly ? null : wholeDays(from, to);
  if (!days) return { daily: () => null, perRun: (table) => [`FROM ${table} WHERE started_at >= ${f} AND started_at < ${t}${filter('')}`] };
  const first = p.add(days.first);
  const end = p.add(days.end);
  return {
    daily: (table) =>
      `FROM ${table} AS d WHERE d.day >= ${first}::date AND d.day < ${end}::date${filter('d.')}
        AND NOT EXISTS (SELECT 1 FROM kpi_dirty_days k WHERE k.flow_id = d.flow_id AND k.version = d.version AND k.day = d.day)`,
    perRun: (table) => [
      `FROM ${table} WHERE ((started_at >= ${f} AND started_at < ${midnight(first)}) OR (started_at >= ${midnight(end)} AND started_at < ${t}))${filter('')}`,
      // OFFSET 0: per dirty day through the (flow_id, started_at) index, not a hash join over the table.
      `FROM (
         SELECT x.* FROM kpi_dirty_days k CROSS JOIN LATERAL (
           SELECT * FROM ${table} x
           WHERE x.flow_id = k.flow_id AND x.version = k.version AND x.started_at >= ${midnight('k.day')} AND x.started_at < ${midnight('(k.day + 1)')}
           OFFSET 0
         ) x
         WHERE k.day >= ${first}::date AND k.day < ${end}::date${filter('k.')}
       ) AS ${table} WHERE true`,
    ],
  };
}

/** The days to recompute: $1 flow ids, $2 versions, $3 dates, zipped. */
const KEYS = `keys AS (SELECT * FROM unnest($1::uuid[], $2::int[], $3::date[]) AS k(flow_id, version, day))`;
/**
 * The rows of `table` in each key's day, per key through its (flow_id, started_at) index: `OFFSET 0`
 * keeps the planner from flattening this into a hash join that reads the whole table (measured: a
 * seq scan of 420,000 node facts, 330 ms, to recompute 47 days).
 */
const ofKeys = (table: string, columns: string) =>
  `keys k CROSS JOIN LATERAL (
     SELECT ${columns} FROM ${table} x
     WHERE x.flow_id = k.flow_id AND x.version = k.version
       AND x.started_at >= ${midnight('k.day')} AND x.started_at < ${midnight('(k.day + 1)')}
     OFFSET 0
   ) AS`;
const deleteKeys = (table: string) =>
  `DELETE FROM ${table} d USING unnest($1::uuid[], $2::int[], $3::date[]) AS k(flow_id, version, day)
   WHERE d.flow_id = k.flow_id AND d.version = k.version AND d.day = k.day`;

/** Recomputes the kpi_daily rows of the given days from the facts (after deleteKeys). */
export const DAILY_ROLLUP_SQL = `
  WITH ${KEYS},
  f AS MATERIALIZED (
    SELECT k.day, r.* FROM ${ofKeys('kpi_run_facts', 'x.*')} r
  ),
  sums AS (
    SELECT flow_id, version, day,
      ${RUN_MEASURES.map(([column, perRun, type]) => `sum(${perRun})::${type === 'int' ? 'int' : 'float8'} AS ${column}`).join(',\n      ')},
      coalesce(array_agg(${GAP_US} ORDER BY next_start - finished_at)
        FILTER (WHERE customer_id IS NOT NULL AND ${fin} AND next_start IS NOT NULL), '{}') AS fcr_gaps_us,
      coalesce(array_agg(${TTR_SECONDS}) FILTER (WHERE outcome = 'resolved'), '{}') AS ttr_s
    FROM f GROUP BY flow_id, version, day
  ),
  responses AS (
    SELECT flow_id, version, day, array_agg(t.ms) AS response_ms
    FROM f CROSS JOIN LATERAL unnest(f.response_ms) AS t(ms) GROUP BY flow_id, version, day
  ),
  outcomes AS (
    SELECT flow_id, version, day, jsonb_object_agg(outcome, n) AS outcomes
    FROM (SELECT flow_id, version, day, outcome, count(*) AS n FROM f WHERE ${fin} AND outcome IS NOT NULL GROUP BY 1, 2, 3, 4) o
    GROUP BY flow_id, version, day
  ),
  goals AS (
    SELECT flow_id, version, day, jsonb_object_agg(goal, runs) AS goal_runs, jsonb_object_agg(goal, value) AS goal_value
    FROM (
      SELECT flow_id, version, day, g.key AS goal, count(*) AS runs, sum(g.value::float8) AS value
      FROM f CROSS JOIN LATERAL jsonb_each_text(f.goals) AS g(key, value) WHERE ${fin} GROUP BY 1, 2, 3, 4
    ) g
    GROUP BY flow_id, version, day
  )
  INSERT INTO kpi_daily (flow_id, version, day, ${RUN_MEASURES.map(([c]) => c).join(', ')},
    fcr_gaps_us, ttr_s, response_ms, outcomes, goal_runs, goal_value)
  SELECT s.flow_id, s.version, s.day, ${RUN_MEASURES.map(([c]) => `s.${c}`).join(', ')},
    s.fcr_gaps_us, s.ttr_s, coalesce(r.response_ms, '{}'), coalesce(o.outcomes, '{}'), coalesce(g.goal_runs, '{}'), coalesce(g.goal_value, '{}')
  FROM sums s
  LEFT JOIN responses r USING (flow_id, version, day)
  LEFT JOIN outcomes o USING (flow_id, version, day)
  LEFT JOIN goals g USING (flow_id, version, day)`;

/** `kind IN (...)`: the node facts' items of an LLM call (their `kind` is the event type). */
const LLM_CALL = typeIn(LLM_USAGE_EVENT_TYPES, 'kind');
/** The events the node facts read. */
const NODE_EVENTS = typeIn(
  [
    'node.entered',
    'node.left',
    'message.in',
    'message.out',
    'csat',
    'goal',
    'escalation.tier',
    'escalation.accepted',
    'escalation.resolved',
    'escalation.returned',
    ...LLM_USAGE_EVENT_TYPES,
  ],
  'e.type',
);
const MESSAGES = typeIn(['message.in', 'message.out']);

/**
 * Recomputes the node facts of the given runs ($1) from their events, after their run facts (same
 * transaction). Per (run, node): node.entered visits and type, node.left counts per branch (and
 * without one), whether the run's last step entered this node (where it stopped), AI calls and usage,
 * CSAT answers, escalations, goals, and the response times of the customer turns whose first reply
 * this node gave.
 *
 * Those response times come from the run facts (`kpi_run_facts.response_ms`), which list the
 * response time of every answered turn of the run in turn order; here the answered turns are
 * numbered the same way (a turn is the customer messages up to the next reply, answered when it
 * has one) and the k-th one takes the k-th time. So per-node response times always measure the same
 * thing as the run's, whatever source facts.ts prefers for a turn.
 */
export const NODE_FACTS_SQL = `
  WITH ids AS (SELECT unnest($1::text[]) AS run_id),
  gone AS (DELETE FROM kpi_node_facts WHERE run_id IN (SELECT run_id FROM ids)),
  -- The fresh run facts of these runs, read once, by primary key (a join with ids hashed the whole table).
  f AS MATERIALIZED (
    SELECT r.run_id, r.flow_id, r.version, r.started_at, r.finished_at, r.response_ms FROM kpi_run_facts r WHERE r.run_id = ANY($1::text[])
  ),
  ev AS MATERIALIZED (
    SELECT e.run_id, e.seq, e.type, e.node_id, e.data FROM run_events e JOIN ids USING (run_id)
    WHERE ${NODE_EVENTS}
  ),
  msgs AS (
    SELECT run_id, seq, node_id, (${typeIs('message.out')} OR data->>'from' = 'agent') AS is_reply
    FROM ev WHERE ${MESSAGES}
  ),
  numbered AS (
    SELECT *, count(*) FILTER (WHERE is_reply) OVER (PARTITION BY run_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS turn
    FROM msgs
  ),
  answered AS (
    SELECT run_id, (array_agg(node_id ORDER BY seq) FILTER (WHERE is_reply))[1] AS node_id,
      row_number() OVER (PARTITION BY run_id ORDER BY turn) AS k
    FROM numbered GROUP BY run_id, turn
    HAVING bool_or(NOT is_reply) AND bool_or(is_reply)
  ),
  last_step AS (
    SELECT DISTINCT ON (run_id) run_id, type, node_id FROM ev WHERE ${typeIn(['node.entered', 'node.left'])} ORDER BY run_id, seq DESC
  ),
  items AS (
    SELECT run_id, node_id, type AS kind, data, NULL::text AS branch, 1::bigint AS n, NULL::float8 AS ms, seq
      FROM ev WHERE ${typeNotIn(['message.in', 'message.out', 'node.left'])}
    UNION ALL
    SELECT run_id, node_id, 'exit', NULL, data->>'branch', count(*), NULL, NULL
      FROM ev WHERE ${typeIs('node.left')} GROUP BY run_id, node_id, data->>'branch'
    UNION ALL
    SELECT a.run_id, a.node_id, 'reply', NULL, NULL, 1, f.response_ms[a.k::int], a.k
      FROM answered a JOIN f USING (run_id) WHERE f.response_ms[a.k::int] IS NOT NULL
    UNION ALL
    SELECT run_id, node_id, 'stop', NULL, NULL, 1, NULL, NULL FROM last_step WHERE ${typeIs('node.entered')}
  )
  INSERT INTO kpi_node_facts (run_id, node_id, flow_id, version, started_at, finished, node_type, visits, exits, exits_end, stopped,
    ai_calls, prompt_tokens, completion_tokens, reported_cost, csat_n, csat_sum, csat_top, escalated, accepted, human_minutes,
    goal, goal_value, reply_ms)
  SELECT f.run_id, i.node_id, f.flow_id, f.version, f.started_at, f.finished_at IS NOT NULL,
    max(i.data->>'type') FILTER (WHERE ${typeIs('node.entered', 'kind')}),
    count(*) FILTER (WHERE ${typeIs('node.entered', 'kind')}),
    coalesce(jsonb_object_agg(branch, n) FILTER (WHERE kind = 'exit' AND branch IS NOT NULL), '{}'),
    coalesce(sum(n) FILTER (WHERE kind = 'exit' AND branch IS NULL), 0),
    bool_or(kind = 'stop'),
    count(*) FILTER (WHERE ${LLM_CALL}),
    coalesce(sum(${jsonNumber(`data->'usage'->'promptTokens'`)}) FILTER (WHERE ${LLM_CALL}), 0),
    coalesce(sum(${jsonNumber(`data->'usage'->'completionTokens'`)}) FILTER (WHERE ${LLM_CALL}), 0),
    coalesce(sum(${jsonNumber(`data->'usage'->'costUsd'`)}) FILTER (WHERE ${LLM_CALL}), 0),
    count(${jsonNumber(`data->'score'`)}) FILTER (WHERE ${typeIs('csat', 'kind')}),
    coalesce(sum(${jsonNumber(`data->'score'`)}) FILTER (WHERE ${typeIs('csat', 'kind')}), 0),
    count(*) FILTER (WHERE ${typeIs('csat', 'kind')} AND ${jsonNumber(`data->'score'`)} >= 4),
    bool_or(${typeIs('escalation.tier', 'kind')}),
    count(*) FILTER (WHERE ${typeIs('escalation.accepted', 'kind')}),
    coalesce(sum(${jsonNumber(`data->'minutes'`)}) FILTER (WHERE ${typeIn(['escalation.resolved', 'escalation.returned'], 'kind')}), 0),
    bool_or(${typeIs('goal', 'kind')}),
    coalesce(sum(${jsonNumber(`data->'value'`)}) FILTER (WHERE ${typeIs('goal', 'kind')}), 0),
    coalesce(array_agg(ms ORDER BY seq) FILTER (WHERE kind = 'reply'), '{}')
  FROM items i JOIN f USING (run_id)
  GROUP BY f.run_id, f.flow_id, f.version, f.started_at, f.finished_at, i.node_id`;

/**
 * Recomputes the kpi_node_daily rows of the given days (after deleteKeys). Each node-facts row is
 * joined with its reply times, one line per reply, to gather them; `once` picks the row's first
 * line so its own measures count once.
 */
export const NODE_DAILY_ROLLUP_SQL = `
  WITH ${KEYS},
  n AS (
    SELECT k.day, nf.*, r.ms, coalesce(r.i, 1) = 1 AS once
    FROM ${ofKeys('kpi_node_facts', 'x.*')} nf
    LEFT JOIN LATERAL unnest(nf.reply_ms) WITH ORDINALITY AS r(ms, i) ON true
  )
  INSERT INTO kpi_node_daily (flow_id, version, day, node_id, node_type, runs, visits, stopped_waiting, stopped_ended,
    ai_calls, prompt_tokens, completion_tokens, reported_cost, csat_n, csat_sum, csat_top, escalated_runs, accepted, human_minutes,
    goal_runs, goal_value, reply_ms)
  SELECT flow_id, version, day, node_id, max(node_type),
    count(*) FILTER (WHERE once AND visits > 0),
    sum(visits) FILTER (WHERE once),
    count(*) FILTER (WHERE once AND stopped AND NOT finished),
    count(*) FILTER (WHERE once AND stopped AND finished),
    sum(ai_calls) FILTER (WHERE once),
    sum(prompt_tokens) FILTER (WHERE once),
    sum(completion_tokens) FILTER (WHERE once),
    sum(reported_cost) FILTER (WHERE once),
    sum(csat_n) FILTER (WHERE once),
    sum(csat_sum) FILTER (WHERE once),
    sum(csat_top) FILTER (WHERE once),
    count(*) FILTER (WHERE once AND escalated),
    sum(accepted) FILTER (WHERE once),
    sum(human_minutes) FILTER (WHERE once),
    count(*) FILTER (WHERE once AND goal),
    sum(goal_value) FILTER (WHERE once),
    coalesce(array_agg(ms) FILTER (WHERE ms IS NOT NULL), '{}')
  FROM n GROUP BY flow_id, version, day, node_id`;

/** Recomputes the kpi_edge_daily rows of the given days (after deleteKeys): runs and transitions per node and branch. */
export const EDGE_DAILY_ROLLUP_SQL = `
  WITH ${KEYS},
  n AS MATERIALIZED (SELECT k.day, nf.* FROM ${ofKeys('kpi_node_facts', 'x.flow_id, x.version, x.node_id, x.exits, x.exits_end')} nf)
  INSERT INTO kpi_edge_daily (flow_id, version, day, node_id, branch, runs, transitions)
  SELECT flow_id, version, day, node_id, e.key, count(*), sum(e.value::int)
    FROM n CROSS JOIN LATERAL jsonb_each_text(n.exits) AS e(key, value) GROUP BY flow_id, version, day, node_id, e.key
  UNION ALL
  SELECT flow_id, version, day, node_id, NULL, count(*), sum(exits_end)
    FROM n WHERE exits_end > 0 GROUP BY flow_id, version, day, node_id`;

/**
 * How long a day must have gone without a new mark before a refresh rolls it up. Until then queries
 * read it from the per-run rows (windowSources), so a busy day is not recomputed at every refresh:
 * measured on the benchmark, rolling up the ~60 days touched by 100 new runs took ~150 ms of CPU per
 * refresh, against ~60 ms for the facts of those runs.
 */
export const ROLLUP_SETTLE_SECONDS = 60;

/**
 * Recomputes the days marked in `kpi_dirty_days` that have settled (no new mark for `settleSeconds`)
 * and clears their marks, in transactions of up to `batchSize` days that hold the facts refreshers'
 * advisory lock (`lockKey`), so the facts do not change underneath. The marks are locked
 * (`FOR UPDATE`): a writer marking the same day meanwhile waits and marks it again after the commit.
 * Returns the number of days recomputed.
 */
export async function rollUpDirtyDays(pool: Pool, lockKey: number, options: { settleSeconds?: number; batchSize?: number } = {}): Promise<number> {
  const settle = `${options.settleSeconds ?? ROLLUP_SETTLE_SECONDS} seconds`;
  const batchSize = options.batchSize ?? 500;
  let days = 0;
  for (;;) {
    const client = await pool.connect();
    let n = 0;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL work_mem = '64MB'`);
      await client.query(`SELECT pg_advisory_xact_lock($1)`, [lockKey]);
      const dirty = await client.query<{ flow_id: string; version: number; day: string }>(
        `SELECT flow_id, version, day::text AS day FROM kpi_dirty_days WHERE marked_at <= now() - $2::interval
         ORDER BY flow_id, version, day LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize, settle],
      );
      n = dirty.rows.length;
      if (n > 0) {
        const keys = [dirty.rows.map((r) => r.flow_id), dirty.rows.map((r) => r.version), dirty.rows.map((r) => r.day)];
        for (const sql of [
          deleteKeys('kpi_daily'),
          DAILY_ROLLUP_SQL,
          deleteKeys('kpi_node_daily'),
          NODE_DAILY_ROLLUP_SQL,
          deleteKeys('kpi_edge_daily'),
          EDGE_DAILY_ROLLUP_SQL,
          deleteKeys('kpi_dirty_days'),
        ]) {
          await client.query(sql, keys);
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    days += n;
    if (n < batchSize) return days;
  }
}
