// The daily rollups (rollups.ts) against the per-run rows they summarise, on the real PostgreSQL of
// the global setup: a report read from the rollups equals the same report read run by run, and stays
// exact while days are dirty (late events, a run finishing after midnight, a recontact that changes
// an older run's first-contact answer). Every test uses its own flow id.
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { testInfra } from '../../test/infra';
import { dataSourceOptions, runMigrations } from '../db/data-source';
import { KpiQuerySpeed1764400000000 } from '../db/migrations/1764400000000-KpiQuerySpeed';
import { DEFAULT_KPI_SETTINGS, KpiRates, resolveRates } from './config';
import { refreshRunFacts } from './facts';
import { computeKpis, KpiQuery, KpiReport } from './kpis';
import { nodeKpis } from './nodes';
import { SyntheticEvent, SyntheticRuns, turn } from './synthetic-events';
import { flowTraffic } from './traffic';

/** A KPI read as the API answers it once the worker's refresh (upkeep/kpi-facts) has run: reads never refresh. */
async function afterRefresh<T>(read: () => Promise<T>): Promise<T> {
  await refreshRunFacts(pool);
  return read();
}

const H = 3600;
const DAY = 24 * H;
const D0 = new Date('2026-02-02T00:00:00Z'); // a Monday
const at = (seconds: number) => new Date(D0.getTime() + seconds * 1000);
const rates = resolveRates(DEFAULT_KPI_SETTINGS);

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 6 });
});
afterAll(() => pool.end());

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` runs of every kind over three days from D0: two versions, ten customers (so recontacts),
 * starts near midnight and runs that end the next day, turns with response times, AI usage, CSAT,
 * escalations with agent minutes, goals, steps through branching nodes, open and failed runs.
 */
function mixedRuns(flowId: string, n: number, seed: number): SyntheticRuns {
  const r = random(seed);
  const runs = new SyntheticRuns(flowId);
  for (let i = 0; i < n; i++) {
    // Every fifth run starts in the last ten minutes of its day.
    const day = Math.floor(r() * 3);
    const start = i % 5 === 0 ? day * DAY + DAY - 60 - Math.floor(r() * 540) : day * DAY + Math.floor(r() * (DAY - 600));
    const events: SyntheticEvent[] = [
      [0, 'node.entered', { type: 'start' }, 'start'],
      [0.5, 'node.left', { branch: 'next' }, 'start'],
      [1, 'node.entered', { type: 'ask' }, 'ask'],
      ...turn(2, 200 + Math.floor(r() * 5000), 'ask'),
      [8, 'ai.reply', { usage: { promptTokens: 100 + i, completionTokens: 10, costUsd: 0.001 * (1 + (i % 3)) } }, 'answer'],
    ];
    const kind = r();
    let t = 10;
    if (kind < 0.15) {
      events.push([t, 'node.left', { branch: 'timeout' }, 'ask'], [t + 1, 'node.entered', { type: 'wait' }, 'wait']);
    } else {
      events.push([t, 'node.left', { branch: 'reply' }, 'ask']);
      if (r() < 0.5) events.push(...turn(t + 5, 300 + Math.floor(r() * 9000), 'answer'));
      if (kind < 0.35) {
        events.push([t + 20, 'escalation.tier', { tier: 0 }, 'human'], [t + 40, 'escalation.accepted', { tier: 0 }, 'human']);
        events.push([t + 600, 'escalation.resolved', { minutes: Math.round(r() * 200) / 10 }, 'human']);
      }
      if (r() < 0.4) events.push([t + 700, 'csat', { score: 1 + Math.floor(r() * 5) }, 'survey']);
      if (r() < 0.3) events.push([t + 710, 'goal', { goal: r() < 0.5 ? 'purchase' : 'signup', value: Math.floor(r() * 100) }, 'won']);
      t += 720;
      const outcome = kind < 0.35 ? 'escalated' : kind < 0.45 ? 'abandoned' : kind < 0.5 ? 'failed' : 'resolved';
      // Some runs take over an hour, so those started late end the next day.
      events.push([t + Math.floor(r() * 2 * H), 'run.finished', { status: outcome === 'failed' ? 'failed' : 'completed', outcome }]);
    }
    runs.run(`M${i}-${flowId}`, { start: at(start), customerId: r() < 0.9 ? `m${Math.floor(r() * 10)}` : null, version: 1 + (i % 2) }, events);
  }
  return runs;
}

/** Numbers equal to 1e-9 (relative), everything else equal: sums may add up in another order. */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) throw new Error(`${path}: ${actual} != ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual && typeof actual === 'object').toBe(true);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual as object)]);
    for (const k of keys) expectSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  if (actual !== expected) throw new Error(`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
}

const dirtyDays = async (flowId: string) => Number((await pool.query(`SELECT count(*) FROM kpi_dirty_days WHERE flow_id = $1`, [flowId])).rows[0].count);
const dailyRows = async (flowId: string) => Number((await pool.query(`SELECT count(*) FROM kpi_daily WHERE flow_id = $1`, [flowId])).rows[0].count);

/** Every day changed so far rolled up now, as after a bulk load. */
const rollUpNow = () => refreshRunFacts(pool, { settleSeconds: 0 });

describe('the daily rollups', () => {
  const queries = (flowId: string): [string, Partial<KpiQuery>][] => {
    const late = at(3 * DAY + H);
    const shapes: [string, Partial<KpiQuery>][] = [
      ['whole days', { from: D0, to: at(3 * DAY) }],
      ['whole days by version and day', { from: D0, to: at(3 * DAY), groupBy: 'version', interval: 'day' }],
      ['whole days by flow and week', { from: at(-7 * DAY), to: at(7 * DAY), groupBy: 'flow', interval: 'week' }],
      ['by month', { from: at(-3 * DAY), to: at(30 * DAY), interval: 'month' }],
      ['partial days at both edges', { from: at(5 * H), to: at(3 * DAY - 3 * H) }],
      ['partial edges by day', { from: at(5 * H), to: at(3 * DAY - 3 * H), interval: 'day', groupBy: 'version' }],
      ['one version', { from: D0, to: at(3 * DAY), version: 2 }],
      ['a 1 h first-contact window', { from: D0, to: at(3 * DAY), rates: { ...rates, fcrWindowHours: 1 } as KpiRates }],
      // "now" inside the window: first-contact answers still pending.
      ['now inside the window', { from: D0, to: at(3 * DAY), now: at(40 * H) }],
    ];
    return shapes.map(([name, q]) => [name, { flowIds: [flowId], rates, now: late, ...q }]);
  };
  const reports = async (flowId: string) => {
    const out: Record<string, KpiReport> = {};
    for (const [name, q] of queries(flowId)) out[name] = await afterRefresh(() => computeKpis(pool, q as KpiQuery));
    return out;
  };

  it('give the same reports as the per-run rows, for every breakdown, window and rate', async () => {
    const F = randomUUID();
    await mixedRuns(F, 120, 7).insert(pool);
    // Just written: every day is dirty, so the reports come from the per-run rows only.
    const perRun = await reports(F);
    expect(await dirtyDays(F)).toBeGreaterThan(0);
    expect(perRun['whole days'].totals.runs).toBe(120);

    await rollUpNow();
    expect(await dirtyDays(F)).toBe(0);
    expect(await dailyRows(F)).toBe(6); // 3 days × 2 versions
    const rolledUp = await reports(F);
    for (const name of Object.keys(perRun)) expectSame(rolledUp[name], perRun[name], name);

    // An hourly breakdown always reads the per-run rows: its totals are the same numbers again.
    const hourly = await afterRefresh(() => computeKpis(pool, { flowIds: [F], rates, now: at(3 * DAY + H), from: D0, to: at(3 * DAY), interval: 'hour' }));
    expectSame(hourly.totals, rolledUp['whole days'].totals, 'hourly totals');
    // The exercise is not vacuous: percentiles, FCR and outcomes have values.
    const k = rolledUp['whole days'].totals;
    expect(k.responseTime.turns).toBeGreaterThan(100);
    expect(k.timeToResolution.resolved).toBeGreaterThan(10);
    expect(k.fcr.eligible).toBeGreaterThan(10);
    expect(k.fcr.firstContact).toBeLessThan(k.fcr.eligible);
    expect(Object.keys(k.outcomes).sort()).toEqual(['abandoned', 'escalated', 'failed', 'resolved']);
    expect(k.conversion.perGoal.length).toBe(2);
  });

  it('give the same node KPIs and traffic as the per-run node facts', async () => {
    const F = randomUUID();
    await mixedRuns(F, 60, 11).insert(pool);
    const windows = [
      { from: D0, to: at(3 * DAY) },
      { from: at(5 * H), to: at(2 * DAY + 7 * H) },
      { from: D0, to: at(3 * DAY), version: 1 },
    ];
    const read = async () =>
      Promise.all(
        windows.map(async (w) => ({
          nodes: (await afterRefresh(() => nodeKpis(pool, { flowId: F, rates, ...w }))).sort((a, b) => String(a.nodeId).localeCompare(String(b.nodeId))),
          // Without a published definition nodes and edges come in the order the query found them.
          traffic: await afterRefresh(() => flowTraffic(pool, { flowId: F, ...w })).then((t) => ({
            ...t,
            nodes: t.nodes.sort((a, b) => String(a.nodeId).localeCompare(String(b.nodeId))),
            edges: t.edges.sort((a, b) => `${a.source} ${a.sourceHandle}`.localeCompare(`${b.source} ${b.sourceHandle}`)),
          })),
        })),
      );
    const perRun = await read();
    await rollUpNow();
    expect(await dirtyDays(F)).toBe(0);
    expectSame(await read(), perRun);
    const ask = perRun[0].nodes.find((n) => n.nodeId === 'ask')!;
    expect(ask).toMatchObject({ runs: 60, completed: 0 });
    expect(ask.responseTime.turns).toBe(60);
    expect(ask.dropped).toBe(0);
    expect(perRun[0].nodes.find((n) => n.nodeId === 'wait')!.waiting).toBeGreaterThan(0);
  });

  it('count first contact exactly for any window length, a recontact exactly at the window counting as one', async () => {
    const F = randomUUID();
    await new SyntheticRuns(F)
      // c: R1 ends at 10:10, R2 (c again) starts at 12:10, 2 h later exactly.
      .run('R1-' + F, { start: at(10 * H), customerId: 'c' }, [[600, 'run.finished', { outcome: 'resolved' }]])
      .run('R2-' + F, { start: at(12 * H + 600), customerId: 'c' }, [[600, 'run.finished', { outcome: 'resolved' }]])
      .run('R3-' + F, { start: at(DAY + 9 * H), customerId: 'd' }, [[300, 'run.finished', { outcome: 'resolved' }]])
      .insert(pool);
    await rollUpNow();
    expect(await dirtyDays(F)).toBe(0);
    const fcr = async (hours: number) =>
      (await afterRefresh(() => computeKpis(pool, { flowIds: [F], from: D0, to: at(2 * DAY), now: at(10 * DAY), rates: { ...rates, fcrWindowHours: hours } })))
        .totals.fcr;
    // 2 h: R1 came back within the window (at its very end); R2 and R3 did not.
    expect(await fcr(2)).toMatchObject({ eligible: 3, firstContact: 2, pending: 0 });
    // A hair less than 2 h (7,196.4 s): R1's customer came back too late.
    expect(await fcr(1.999)).toMatchObject({ eligible: 3, firstContact: 3, pending: 0 });
    expect(await fcr(72)).toMatchObject({ eligible: 3, firstContact: 2 });
  });

  it('stay exact when late events rewrite rolled-up days, and roll them up again', async () => {
    const F = randomUUID();
    // L1 (customer a) waits for an answer on day 0; L2 starts at 23:59:30 and is still open; L3's
    // first batch lands without its run.started.
    await new SyntheticRuns(F)
      .run('L1-' + F, { start: at(10 * H), customerId: 'a' }, [...turn(5, 1500)])
      .run('L2-' + F, { start: at(DAY - 30), customerId: 'b' }, [...turn(2, 4000)])
      .run('L3-' + F, { start: at(11 * H), customerId: 'e', started: false }, [[60, 'run.finished', { outcome: 'resolved' }]])
      .insert(pool);
    await rollUpNow();
    const day0 = () => afterRefresh(() => computeKpis(pool, { flowIds: [F], from: D0, to: at(DAY), now: at(10 * DAY), rates }));
    expect((await day0()).totals).toMatchObject({ runs: 2, finished: 0, open: 2 });

    // Later: L1 finishes with a CSAT 5, L2 finishes after midnight (12 minutes in), L3's run.started
    // arrives, and customer a comes back on day 1 (L1 is no longer first contact).
    const late = (runId: string, seq: number, type: string, data: object, seconds: number) =>
      pool.query(`INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, data, occurred_at) VALUES ($1, $2, 1, NULL, $3, $4, $5, $6)`, [
        runId + F,
        F,
        seq,
        type,
        JSON.stringify(data),
        at(seconds),
      ]);
    await late('L1-', 10, 'csat', { score: 5 }, 10 * H + 100);
    await late('L1-', 11, 'run.finished', { outcome: 'resolved' }, 10 * H + 120);
    await late('L2-', 10, 'run.finished', { outcome: 'resolved' }, DAY + 720);
    await late('L3-', 0, 'run.started', {}, 11 * H);
    await new SyntheticRuns(F).run('L4-' + F, { start: at(DAY + 2 * H), customerId: 'a' }, []).insert(pool);

    // Read at once, the changed days are dirty and come from the per-run rows.
    const fresh = await day0();
    expect(await dirtyDays(F)).toBeGreaterThan(0);
    expect(fresh.totals).toMatchObject({ runs: 3, finished: 3, open: 0, outcomes: { resolved: 3 } });
    expect(fresh.totals.csat).toEqual({ responses: 1, average: 5, topShare: 1 });
    // L1 120 s, L2 750 s (it ends the next day but counts on the day it started), L3 60 s.
    expect(fresh.totals.timeToResolution).toEqual({ resolved: 3, p50Seconds: 120, p95Seconds: expect.closeTo(120 + 0.9 * 630, 9), avgSeconds: 310 });
    expect(fresh.totals.responseTime).toMatchObject({ turns: 2, p50Ms: 2750 });
    // L2 (b) and L3 (e) are first contacts; L1's customer came back.
    expect(fresh.totals.fcr).toMatchObject({ eligible: 3, firstContact: 2 });

    await rollUpNow();
    expect(await dirtyDays(F)).toBe(0);
    expectSame(await day0(), fresh);
    // Day 1 holds L4 only: L2's end does not move it there.
    expect((await afterRefresh(() => computeKpis(pool, { flowIds: [F], from: at(DAY), to: at(2 * DAY), rates }))).totals).toMatchObject({
      runs: 1,
      finished: 0,
    });
  });

  it('leave a day that keeps changing to the per-run rows until it settles', async () => {
    const F = randomUUID();
    await new SyntheticRuns(F).run('S1-' + F, { start: at(H), customerId: 's' }, [[10, 'run.finished', { outcome: 'resolved' }]]).insert(pool);
    // The refresh of a KPI request leaves a day marked less than ROLLUP_SETTLE_SECONDS ago alone.
    const k = await afterRefresh(() => computeKpis(pool, { flowIds: [F], from: D0, to: at(DAY), rates }));
    expect(k.totals.runs).toBe(1);
    expect(await dirtyDays(F)).toBe(1);
    expect(await dailyRows(F)).toBe(0);
    // Once it has been quiet for longer, the next refresh rolls it up.
    await pool.query(`UPDATE kpi_dirty_days SET marked_at = now() - interval '2 minutes' WHERE flow_id = $1`, [F]);
    const refreshed = await refreshRunFacts(pool);
    expect(refreshed.days).toBeGreaterThanOrEqual(1);
    expect(await dirtyDays(F)).toBe(0);
    expect(await dailyRows(F)).toBe(1);
    expectSame(await afterRefresh(() => computeKpis(pool, { flowIds: [F], from: D0, to: at(DAY), rates })), k);
  });
});

describe('migration 1764400000000-KpiQuerySpeed', () => {
  it('goes down and up again', async () => {
    const base = new URL(testInfra().databaseUrl);
    const name = `kpi_mig_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    const ds = new DataSource(dataSourceOptions(url.toString(), { logging: false }));
    try {
      await runMigrations(url.toString());
      await ds.initialize();
      const tables = async () =>
        (await ds.query(`SELECT to_regclass('kpi_daily') AS a, to_regclass('kpi_node_facts') AS b, to_regclass('kpi_dirty_days') AS c`))[0];
      const triggers = async () => Number((await ds.query(`SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'kpi_run_facts_days_%'`))[0].count);
      expect(await tables()).toEqual({ a: 'kpi_daily', b: 'kpi_node_facts', c: 'kpi_dirty_days' });
      expect(await triggers()).toBe(3);
      const qr = ds.createQueryRunner();
      try {
        await new KpiQuerySpeed1764400000000().down(qr);
        expect(await tables()).toEqual({ a: null, b: null, c: null });
        expect(await triggers()).toBe(0);
        await new KpiQuerySpeed1764400000000().up(qr);
        expect(await triggers()).toBe(3);
      } finally {
        await qr.release();
      }
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
