/**
 * KPI query time over a million run events: the 30-day KPI queries (GET /api/kpis for one flow and
 * for all flows, per-flow and per-day breakdowns, experiments, graph traffic) on an embedded
 * PostgreSQL of their own, loaded with 1,000,000 synthetic events over 60 days.
 *
 *   npm run build:server && node dist/bench/kpi-query.js [--events 1000000] [--days 60] [--iterations 15]
 *
 * Options: --url postgres://... to use an existing (disposable!) database instead of an embedded one;
 * --reuse to keep the events already there when their count matches. Prints p50/p95 per query and
 * the total of one dashboard refresh (every query once). Target: each query under 500 ms.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { runMigrations } from '../libs/db/data-source';
import { DEFAULT_KPI_SETTINGS, resolveRates } from '../libs/kpis/config';
import { experimentResults } from '../libs/kpis/experiments';
import { refreshRunFacts } from '../libs/kpis/facts';
import { computeKpis } from '../libs/kpis/kpis';
import { nodeKpis } from '../libs/kpis/nodes';
import { flowTraffic } from '../libs/kpis/traffic';
import { startEmbeddedPostgres } from '../libs/runtime/postgres';
import { ms, summarize } from './stats';

/** 20 flows; flow 0 takes ~15% of the traffic and runs the experiment `welcome`. */
export const BENCH_FLOWS = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

/**
 * Synthetic run events: runs of 12 events each, spread evenly over `days` days up to `end`, over
 * BENCH_FLOWS and 3 versions, made inside PostgreSQL (generate_series, seeded random()).
 *
 * Each run: run.started, node.entered, message.out (greeting), message.in (customer), ai.classified
 * and ai.reply with token usage, node.left, message.out (the answer, 0.2-3 s after the question),
 * then either an escalation (tier, accepted, resolved with agent minutes; 20%) or a second customer
 * turn, then a CSAT, a goal or an exposure, and run.finished with an outcome (runs of the last two
 * hours stay open).
 */
export async function loadSyntheticEvents(
  pool: Pool,
  options: { events: number; days: number; end: Date; prefix?: string; seed?: number; analyze?: boolean },
): Promise<number> {
  const runs = Math.ceil(options.events / 12);
  const client = await pool.connect();
  try {
    await client.query(`SELECT setseed($1)`, [options.seed ?? 0.42]);
    await client.query(`DROP TABLE IF EXISTS bench_runs`);
    await client.query(
      `CREATE UNLOGGED TABLE bench_runs AS
       SELECT i,
         $5::text || i AS run_id,
         ($1::uuid[])[CASE WHEN r1 < 0.15 THEN 1 ELSE 2 + floor(r2 * 19)::int END] AS flow_id,
         1 + floor(r3 * 3)::int AS version,
         'cust-' || floor(r4 * ($2::int / 3))::int AS customer_id,
         $3::timestamptz - make_interval(days => $4::int) + (i::float8 / $2::int) * make_interval(days => $4::int) AS t0,
         r5 AS kind, r6 AS extra, (200 + floor(r7 * 2800))::int AS rt_ms, (60 + floor(r8 * 1800))::int AS dur_s
       FROM (SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8
             FROM generate_series(1, $2::int) i) g`,
      [BENCH_FLOWS, runs, options.end, options.days, options.prefix ?? 'run-bench-'],
    );
    // kind < 0.2: escalated; < 0.35: abandoned; < 0.38: failed; else resolved by the bot.
    const { rowCount } = await client.query(
      `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
       SELECT r.run_id, r.flow_id, r.version, r.customer_id, s.seq, s.type, s.node_id, s.data, r.t0 + s.offset_s * interval '1 second'
       FROM bench_runs r
       CROSS JOIN LATERAL (VALUES
         (1, 'run.started', NULL, '{"trigger":"api"}'::jsonb, 0::float8),
         (2, 'node.entered', 'start', '{"type":"start"}'::jsonb, 0),
         (3, 'message.out', 'hi', '{"from":"bot","text":"Hola, ¿en qué te ayudo?"}'::jsonb, 0.1),
         (4, 'message.in', 'ask', '{"from":"customer","length":24,"waitingFor":"reply"}'::jsonb, 20),
         (5, 'ai.classified', 'classify', jsonb_build_object('intent', 'billing', 'confidence', 0.8, 'engine', 'llm',
             'usage', jsonb_build_object('model', 'm', 'promptTokens', 300, 'completionTokens', 12, 'costUsd', 0.0002)), 20.1),
         (6, 'node.left', 'classify', '{"branch":"billing"}'::jsonb, 20.1),
         (7, 'ai.reply', 'answer', jsonb_build_object('answered', r.kind >= 0.2, 'confidence', 0.7,
             'usage', jsonb_build_object('model', 'm', 'promptTokens', 900, 'completionTokens', 120, 'costUsd', 0.0011)), 20 + r.rt_ms / 1000.0 - 0.01),
         (8, 'message.out', 'answer', '{"from":"bot","text":"Puedes ver tus facturas en la sección Pagos."}'::jsonb, 20 + r.rt_ms / 1000.0),
         (9, CASE WHEN r.kind < 0.2 THEN 'escalation.tier' ELSE 'message.in' END, 'human',
             CASE WHEN r.kind < 0.2 THEN '{"tier":0,"queue":"soporte","sla":"10m"}'::jsonb ELSE '{"from":"customer","waitingFor":"reply"}'::jsonb END, 40),
         (10, CASE WHEN r.kind < 0.2 THEN 'escalation.accepted' ELSE 'message.out' END, 'human',
             CASE WHEN r.kind < 0.2 THEN '{"tier":0,"queue":"soporte","agent":"Marta"}'::jsonb ELSE '{"from":"bot","text":"..."}'::jsonb END, 40 + r.rt_ms / 800.0),
         (11, CASE WHEN r.kind < 0.2 THEN 'escalation.resolved' WHEN r.extra < 0.3 THEN 'csat' WHEN r.extra < 0.45 THEN 'goal'
                   WHEN r.extra < 0.7 AND r.flow_id = ($1::uuid[])[1] THEN 'experiment.exposure' ELSE 'node.entered' END, 'tail',
             CASE WHEN r.kind < 0.2 THEN jsonb_build_object('tier', 0, 'agent', 'Marta', 'minutes', round((r.dur_s / 60.0)::numeric, 2))
                  WHEN r.extra < 0.3 THEN jsonb_build_object('score', 1 + floor(r.extra * 16.6)::int)
                  WHEN r.extra < 0.45 THEN jsonb_build_object('goal', CASE WHEN r.extra < 0.4 THEN 'purchase' ELSE 'signup' END, 'value', 30,
                         'experiments', CASE WHEN r.flow_id = ($1::uuid[])[1] THEN jsonb_build_object('welcome', CASE WHEN r.rt_ms % 2 = 0 THEN 'A' ELSE 'B' END) ELSE '{}'::jsonb END)
                  WHEN r.extra < 0.7 AND r.flow_id = ($1::uuid[])[1] THEN jsonb_build_object('experiment', 'welcome', 'variant', CASE WHEN r.rt_ms % 2 = 0 THEN 'A' ELSE 'B' END)
                  ELSE '{"type":"end"}'::jsonb END, 50),
         (12, CASE WHEN r.t0 > $2::timestamptz - interval '2 hours' THEN 'node.entered' ELSE 'run.finished' END, NULL,
             CASE WHEN r.t0 > $2::timestamptz - interval '2 hours' THEN '{"type":"ask"}'::jsonb
                  ELSE jsonb_build_object('status', CASE WHEN r.kind >= 0.35 AND r.kind < 0.38 THEN 'failed' ELSE 'completed' END,
                         'outcome', CASE WHEN r.kind < 0.2 THEN 'escalated' WHEN r.kind < 0.35 THEN 'abandoned' WHEN r.kind < 0.38 THEN 'failed' ELSE 'resolved' END) END,
             r.dur_s::float8)
       ) AS s(seq, type, node_id, data, offset_s)
       ORDER BY r.i, s.seq
       LIMIT $3::int`,
      [BENCH_FLOWS, options.end, options.events],
    );
    await client.query(`DROP TABLE bench_runs`);
    if (options.analyze !== false) await client.query(`VACUUM ANALYZE run_events`);
    return rowCount ?? 0;
  } finally {
    client.release();
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const events = Number(arg('events') ?? 1_000_000);
  const days = Number(arg('days') ?? 60);
  const iterations = Number(arg('iterations') ?? 15);
  const reuse = process.argv.includes('--reuse');
  let url = arg('url');
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-kpi-bench-'));
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres') });
    url = pg.url;
    stop = pg.stop;
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  // Stopping the embedded server at the end must not crash the process through an idle client.
  pool.on('error', () => undefined);
  try {
    await measure(pool, url, { events, days, iterations, reuse });
  } finally {
    await pool.end().catch(() => undefined);
    if (stop) await stop().catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  pool: Pool,
  url: string,
  { events, days, iterations, reuse }: { events: number; days: number; iterations: number; reuse: boolean },
): Promise<void> {
  await runMigrations(url);
  const end = new Date();
  let now = end;
  if (reuse) {
    await pool.query(`DELETE FROM run_events WHERE run_id LIKE 'run-new-%'`);
    await pool.query(`DELETE FROM kpi_run_facts WHERE run_id LIKE 'run-new-%'`);
    await pool.query(`DELETE FROM kpi_node_facts WHERE run_id LIKE 'run-new-%'`);
    await pool.query(`DELETE FROM kpi_dirty_runs WHERE run_id LIKE 'run-new-%'`);
  }
  const existing = (await pool.query(`SELECT count(*)::int AS n, max(occurred_at) AS last FROM run_events`)).rows[0];
  if (reuse && existing.n === events) {
    now = new Date(existing.last);
    console.log(`reusing ${events} run events`);
  } else {
    await pool.query(`TRUNCATE run_events`);
    const t = performance.now();
    const n = await loadSyntheticEvents(pool, { events, days, end });
    console.log(
      `loaded ${n.toLocaleString('en')} run events over ${days} days in ${((performance.now() - t) / 1000).toFixed(1)} s (generate_series + VACUUM ANALYZE)`,
    );
  }
  // After a bulk load every day is freshly changed: roll them all up now instead of after they settle.
  const built = await refreshRunFacts(pool, { settleSeconds: 0 });
  if (built.runs > 0 || built.days > 0) {
    for (const table of ['kpi_run_facts', 'kpi_node_facts', 'kpi_daily', 'kpi_node_daily', 'kpi_edge_daily']) await pool.query(`VACUUM ANALYZE ${table}`);
    console.log(
      `built the per-run facts and node facts of ${built.runs.toLocaleString('en')} runs and ${built.days.toLocaleString('en')} days of daily rollups ` +
        `in ${(built.ms / 1000).toFixed(1)} s (once, after the bulk load)`,
    );
  }
  const size = (
    await pool.query(`SELECT pg_size_pretty(pg_total_relation_size('run_events')) AS total, pg_size_pretty(pg_relation_size('run_events')) AS heap`)
  ).rows[0];
  console.log(`run_events: ${size.heap} heap, ${size.total} with indexes`);

  const to = now;
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const rates = resolveRates(DEFAULT_KPI_SETTINGS);
  const flow = BENCH_FLOWS[0];
  const queries: [string, () => Promise<unknown>, (() => Promise<unknown>)?][] = [
    ['kpis, one flow', () => computeKpis(pool, { from, to, flowIds: [flow], rates, now })],
    ['kpis, all flows', () => computeKpis(pool, { from, to, rates, now })],
    ['kpis, all flows by flow and day', () => computeKpis(pool, { from, to, rates, now, groupBy: 'flow', interval: 'day' })],
    ['kpis, one flow by version and day', () => computeKpis(pool, { from, to, flowIds: [flow], rates, now, groupBy: 'version', interval: 'day' })],
    ['kpis per node, one flow', () => nodeKpis(pool, { from, to, flowId: flow, rates })],
    ['experiments, one flow', () => experimentResults(pool, { flowId: flow, from, to, minSample: 100, alpha: 0.05 })],
    ['traffic, one flow', () => flowTraffic(pool, { flowId: flow, from, to })],
  ];
  // Steady state: a minute of new traffic (100 runs, 1,200 events) lands before each refresh of the dashboard,
  // which sends the refresh command (POST /api/kpis/refresh) and then reads (a GET does not refresh).
  let batch = 0;
  queries.push([
    'refresh + kpis, after 100 new runs',
    async () => {
      await refreshRunFacts(pool);
      return computeKpis(pool, { from, to, rates, now });
    },
    () => loadSyntheticEvents(pool, { events: 1200, days: 1, end: now, prefix: `run-new-${batch++}-`, seed: 0.1, analyze: false }),
  ]);
  const samples = new Map<string, number[]>(queries.map(([name]) => [name, []]));
  const totals: number[] = [];
  // Warm-up: caches, JIT, connections.
  for (const [, run, setup] of queries) {
    await setup?.();
    await run();
  }
  for (let i = 0; i < iterations; i++) {
    let total = 0;
    for (const [name, run, setup] of queries) {
      await setup?.(); // not timed
      const t = performance.now();
      await run();
      const elapsed = performance.now() - t;
      samples.get(name)!.push(elapsed);
      total += elapsed;
    }
    totals.push(total);
  }
  const one = (await computeKpis(pool, { from, to, rates, now })).totals;
  console.log(
    `\n30-day window: ${one.runs.toLocaleString('en')} runs (all flows), ${iterations} iterations, ${os.cpus().length} cores, PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}`,
  );
  console.log('query                                  p50         p95         max');
  for (const [name] of queries) {
    const s = summarize(samples.get(name)!);
    console.log(`${name.padEnd(38)} ${ms(s.p50).padEnd(11)} ${ms(s.p95).padEnd(11)} ${ms(s.max)}`);
  }
  const t = summarize(totals);
  console.log(`${'total (every query once)'.padEnd(38)} ${ms(t.p50).padEnd(11)} ${ms(t.p95).padEnd(11)} ${ms(t.max)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
