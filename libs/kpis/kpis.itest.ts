// KPIs over synthetic run events on the real PostgreSQL of the global setup, against values worked
// out by hand (the arithmetic is in the comments). Every test uses its own flow id.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { DEFAULT_KPI_SETTINGS, resolveRates } from './config';
import { refreshRunFacts } from './facts';
import { computeKpis, KpiQuery } from './kpis';
import { nodeKpis } from './nodes';
import { SyntheticRuns, turn } from './synthetic-events';
import { flowTraffic } from './traffic';

/** A KPI read as the API answers it once the worker's refresh (upkeep/kpi-facts) has run: reads never refresh. */
async function afterRefresh<T>(read: () => Promise<T>): Promise<T> {
  await refreshRunFacts(pool);
  return read();
}

const H = 3600;
const T0 = new Date('2026-01-10T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const DAY = 24 * H;
const rates = resolveRates(DEFAULT_KPI_SETTINGS); // 0.50 USD per agent minute, 5.00 USD baseline, FCR 72 h, reported LLM cost
const LATER = at(10 * DAY); // every FCR window has closed

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 6 });
});
afterAll(() => pool.end());

/**
 * Flow F, window [T0, T0 + 24 h):
 *  R1 c1 v1 01:00  greeting; turns 2 s and 6 s (two messages in a row, answered 6 s after the first); ai.reply 1000/200 tokens 0.01 USD;
 *                 CSAT 5; goal purchase 100; resolved after 60 s
 *  R2 c2 v1 02:00  turn 1 s; escalated, accepted, customer → agent 10 s; 12.5 agent minutes; CSAT 3; outcome escalated after 900 s
 *  R3 c3 v2 03:00  a customer message nobody answers; abandoned after 3600 s
 *  R4 c1 v2 04:00  ai.classified 500/10 tokens 0.002 USD; turn 3 s; resolved after 120 s (c1 again: R1 is not first-contact)
 *  R5 —  v1 05:00  turn 1 s; CSAT 4; still open
 *  R6 c4 v1 T0−1 h started before the window, finished inside it: not counted
 *  R7 c5 v1 23:59  goal purchase 50 after 1800 s; resolved after 1860 s, i.e. after the window: counted, with its outcome
 *  R8 c6 v2 06:00  failed after 30 s
 */
function scenario(flowId: string): SyntheticRuns {
  return new SyntheticRuns(flowId)
    .run('R1-' + flowId, { start: at(1 * H), customerId: 'c1' }, [
      [0, 'message.out', { from: 'bot', text: 'Hola' }, 'hi'],
      [10, 'message.in', { from: 'customer' }, 'ask'],
      [11, 'ai.reply', { answered: true, usage: { model: 'm', promptTokens: 1000, completionTokens: 200, costUsd: 0.01 } }, 'answer'],
      [12, 'message.out', { from: 'bot', text: 'Respuesta' }, 'answer'],
      [30, 'message.in', { from: 'customer' }, 'ask'],
      [35, 'message.in', { from: 'customer' }, 'ask'],
      [36, 'message.out', { from: 'bot', text: 'Otra' }, 'answer'],
      [40, 'csat', { score: 5 }, 'survey'],
      [41, 'goal', { goal: 'purchase', value: 100, experiments: {} }, 'won'],
      [60, 'run.finished', { status: 'completed', outcome: 'resolved' }],
    ])
    .run('R2-' + flowId, { start: at(2 * H), customerId: 'c2' }, [
      ...turn(5, 1000),
      [10, 'escalation.tier', { tier: 0, queue: 'soporte', sla: '10m' }, 'human'],
      [70, 'escalation.accepted', { tier: 0, queue: 'soporte', agent: 'Marta' }, 'human'],
      [80, 'message.in', { from: 'customer' }, 'human'],
      [90, 'message.in', { from: 'agent' }, 'human'],
      [800, 'escalation.resolved', { tier: 0, agent: 'Marta', minutes: 12.5 }, 'human'],
      [810, 'csat', { score: 3 }, 'survey'],
      [900, 'run.finished', { status: 'completed', outcome: 'escalated' }],
    ])
    .run('R3-' + flowId, { start: at(3 * H), customerId: 'c3', version: 2 }, [
      [5, 'message.in', { from: 'customer' }, 'ask'],
      [3600, 'run.finished', { status: 'completed', outcome: 'abandoned' }],
    ])
    .run('R4-' + flowId, { start: at(4 * H), customerId: 'c1', version: 2 }, [
      [0.5, 'ai.classified', { intent: 'billing', usage: { model: 'm', promptTokens: 500, completionTokens: 10, costUsd: 0.002 } }, 'classify'],
      ...turn(1, 3000),
      [120, 'run.finished', { status: 'completed', outcome: 'resolved' }],
    ])
    .run('R5-' + flowId, { start: at(5 * H) }, [...turn(1, 1000), [3, 'csat', { score: 4 }, 'survey']])
    .run('R6-' + flowId, { start: at(-1 * H), customerId: 'c4' }, [[7200, 'run.finished', { status: 'completed', outcome: 'resolved' }]])
    .run('R7-' + flowId, { start: at(23 * H + 59 * 60), customerId: 'c5' }, [
      [1800, 'goal', { goal: 'purchase', value: 50, experiments: {} }, 'won'],
      [1860, 'run.finished', { status: 'completed', outcome: 'resolved' }],
    ])
    .run('R8-' + flowId, { start: at(6 * H), customerId: 'c6', version: 2 }, [[30, 'run.finished', { status: 'failed', outcome: 'failed', error: 'boom' }]]);
}

async function kpis(flowId: string, extra: Partial<KpiQuery> = {}) {
  return afterRefresh(() => computeKpis(pool, { from: T0, to: at(DAY), flowIds: [flowId], rates, now: LATER, ...extra }));
}

describe('KPIs of a period', () => {
  const F = randomUUID();
  beforeAll(async () => {
    await scenario(F).insert(pool);
  });

  it('computes every KPI as worked out by hand', async () => {
    const { totals: k } = await kpis(F);
    // Cohort: R1 R2 R3 R4 R5 R7 R8 (R6 started before the window). Finished: all but R5.
    expect(k.runs).toBe(7);
    expect(k.finished).toBe(6);
    expect(k.open).toBe(1);
    expect(k.outcomes).toEqual({ abandoned: 1, escalated: 1, failed: 1, resolved: 3 });

    // Answered turns: R1 2000, 6000; R2 1000, 10000; R4 3000; R5 1000 → sorted 1000 1000 2000 3000 6000 10000.
    // p50 = (2000 + 3000) / 2 = 2500; p95 at rank 0.95·5 = 4.75 → 6000 + 0.75·4000 = 9000; mean 23000 / 6.
    expect(k.responseTime).toEqual({ turns: 6, unanswered: 1, p50Ms: 2500, p95Ms: 9000, avgMs: expect.closeTo(23000 / 6, 6) });

    // Escalation: R2 of 6 finished. AI resolution: resolved without an agent R1 R4 R7 → 3/6.
    expect(k.escalation).toEqual({ escalated: 1, humanHandled: 1, rate: 1 / 6 });
    expect(k.aiResolution).toEqual({ resolved: 3, rate: 0.5 });

    // FCR: finished runs with a customer R1 R2 R3 R4 R7 R8, all settled by now; R1 is followed by R4 (c1) 3 h later → 5/6.
    expect(k.fcr).toEqual({ windowHours: 72, eligible: 6, firstContact: 5, pending: 0, rate: 5 / 6 });

    // CSAT: 5, 3 and 4 (R5 is open but answered) → average 4, share of 4-5 = 2/3.
    expect(k.csat).toEqual({ responses: 3, average: 4, topShare: 2 / 3 });
    expect(k.abandonment).toEqual({ abandoned: 1, rate: 1 / 6 });
    expect(k.failures).toEqual({ failed: 1, rate: 1 / 6 });

    // Time to resolution (resolved R1 60 s, R4 120 s, R7 1860 s): p50 120; p95 rank 1.9 → 120 + 0.9·1740 = 1686; mean 2040/3 = 680.
    expect(k.timeToResolution).toEqual({ resolved: 3, p50Seconds: 120, p95Seconds: expect.closeTo(1686, 6), avgSeconds: 680 });

    // Conversion: R1 (purchase 100) and R7 (purchase 50) of 6 finished.
    expect(k.conversion).toEqual({ converted: 2, rate: 1 / 3, value: 150, perGoal: [{ goal: 'purchase', runs: 2, rate: 1 / 3, value: 150 }] });

    // Cost over finished runs: LLM 0.01 + 0.002 = 0.012 USD reported; 12.5 agent minutes × 0.50 = 6.25 USD → 6.262 USD,
    // per interaction 6.262 / 6 = 1.043667. ROI: baseline 6 × 5 = 30 USD, savings 23.738, ROI 23.738 / 6.262 = 3.790802.
    expect(k.cost.promptTokens).toBe(1500);
    expect(k.cost.completionTokens).toBe(210);
    expect(k.cost.llmUsd).toBeCloseTo(0.012, 10);
    expect(k.cost.humanMinutes).toBe(12.5);
    expect(k.cost.humanUsd).toBe(6.25);
    expect(k.cost.totalUsd).toBeCloseTo(6.262, 10);
    expect(k.cost.perInteractionUsd).toBeCloseTo(1.0436667, 6);
    expect(k.roi.baselineUsd).toBe(30);
    expect(k.roi.savingsUsd).toBeCloseTo(23.738, 10);
    expect(k.roi.roi).toBeCloseTo(3.790802, 5);
  });

  it('uses the rates of the request: token prices, agent minutes, baseline, FCR window', async () => {
    const { totals: k } = await kpis(F, {
      rates: { ...rates, promptTokenCost: 0.002, completionTokenCost: 0.006, humanMinuteCost: 1, baselineCostPerContact: 2, fcrWindowHours: 1 },
    });
    // LLM: 1500 × 0.002/1000 + 210 × 0.006/1000 = 0.003 + 0.00126 = 0.00426; agents 12.5 × 1 = 12.5 → 12.50426.
    expect(k.cost.llmUsd).toBeCloseTo(0.00426, 10);
    expect(k.cost.totalUsd).toBeCloseTo(12.50426, 10);
    // Baseline 6 × 2 = 12 < 12.50426: the flow costs more than it saves.
    expect(k.roi.savingsUsd).toBeCloseTo(-0.50426, 10);
    expect(k.roi.roi).toBeCloseTo(-0.50426 / 12.50426, 10);
    // A 1 h window: R4 starts 3 h after R1 ended → R1 counts as first contact too: 6/6.
    expect(k.fcr).toMatchObject({ windowHours: 1, eligible: 6, firstContact: 6, rate: 1 });
  });

  it('leaves first-contact resolution pending while the window is open', async () => {
    // "Now" is T0 + 25 h: every run ended less than 72 h ago. R1 is already settled (R4 came back), the 5 others wait.
    const { totals: k } = await kpis(F, { now: at(25 * H) });
    expect(k.fcr).toEqual({ windowHours: 72, eligible: 1, firstContact: 0, pending: 5, rate: 0 });
  });

  it('breaks the totals down per version and per hour', async () => {
    const byVersion = await kpis(F, { groupBy: 'version' });
    expect(byVersion.groups.map((g) => [g.flowId, g.version, g.runs, g.finished])).toEqual([
      [F, 1, 4, 3], // R1 R2 R5 R7; R5 open
      [F, 2, 3, 3], // R3 R4 R8
    ]);
    const v1 = byVersion.groups[0];
    // v1 turns: 1000 1000 2000 6000 10000 → p50 2000; escalation 1 of 3 finished.
    expect(v1.responseTime.p50Ms).toBe(2000);
    expect(v1.escalation.rate).toBeCloseTo(1 / 3, 12);
    expect(v1.outcomes).toEqual({ escalated: 1, resolved: 2 });
    const v2 = byVersion.groups[1];
    expect(v2.responseTime).toMatchObject({ turns: 1, unanswered: 1, p50Ms: 3000 });
    expect(v2.outcomes).toEqual({ abandoned: 1, failed: 1, resolved: 1 });
    expect(byVersion.totals.runs).toBe(7);

    const byHour = await kpis(F, { interval: 'hour' });
    expect(byHour.groups.map((g) => [g.period, g.runs])).toEqual([1, 2, 3, 4, 5, 6, 23].map((h) => [at(h * H).toISOString(), 1]));
    expect(byHour.totals.runs).toBe(7);
  });

  it('counts a run in the period it started in, even when it ends in the next one', async () => {
    // The next day holds R7's end only: no run started in it.
    const next = await kpis(F, { from: at(DAY), to: at(2 * DAY) });
    expect(next.totals.runs).toBe(0);
    // The hour before T0 holds R6, which ended inside [T0, T0 + 24 h) but belongs here.
    const before = await kpis(F, { from: at(-2 * H), to: T0 });
    expect(before.totals).toMatchObject({ runs: 1, finished: 1, outcomes: { resolved: 1 } });
    expect(before.totals.timeToResolution.p50Seconds).toBe(7200);
  });

  it('restricts to one version', async () => {
    const k = await kpis(F, { version: 2 });
    expect(k.totals).toMatchObject({ runs: 3, finished: 3, outcomes: { abandoned: 1, failed: 1, resolved: 1 } });
  });

  it('gives zeros and nulls, not errors, without runs', async () => {
    const { totals: k, groups } = await kpis(randomUUID(), { groupBy: 'flow', interval: 'day' });
    expect(groups).toEqual([]);
    expect(k).toMatchObject({ runs: 0, finished: 0, open: 0, outcomes: {} });
    expect(k.responseTime).toEqual({ turns: 0, unanswered: 0, p50Ms: null, p95Ms: null, avgMs: null });
    expect(k.escalation.rate).toBeNull();
    expect(k.csat).toEqual({ responses: 0, average: null, topShare: null });
    expect(k.fcr.rate).toBeNull();
    expect(k.timeToResolution.p50Seconds).toBeNull();
    expect(k.conversion).toEqual({ converted: 0, rate: null, value: 0, perGoal: [] });
    expect(k.cost.perInteractionUsd).toBeNull();
    expect(k.roi.roi).toBeNull();
    // No flow at all (a key limited to no flow).
    expect((await afterRefresh(() => computeKpis(pool, { from: T0, to: at(DAY), flowIds: [], rates }))).totals.runs).toBe(0);
  });

  it('refuses a backwards period', async () => {
    await expect(kpis(F, { from: at(DAY), to: T0 })).rejects.toThrow(RangeError);
  });
});

describe('the per-run facts', () => {
  it('follow new events, and count a run once its run.started arrives (batches may land out of order)', async () => {
    const F = randomUUID();
    // The second batch of a run lands first: no run.started yet, so no run.
    await new SyntheticRuns(F)
      .run('late-' + F, { start: at(H), customerId: 'x', started: false }, [[60, 'run.finished', { status: 'completed', outcome: 'resolved' }]])
      .insert(pool);
    expect((await kpis(F)).totals.runs).toBe(0);
    await pool.query(
      `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, data, occurred_at) VALUES ($1, $2, 1, 'x', 0, 'run.started', '{}', $3)`,
      ['late-' + F, F, at(H)],
    );
    expect((await kpis(F)).totals).toMatchObject({ runs: 1, finished: 1, outcomes: { resolved: 1 } });
    // A new run of the same customer 10 minutes later: the first one is no longer first-contact.
    await new SyntheticRuns(F).run('again-' + F, { start: at(H + 600), customerId: 'x' }, []).insert(pool);
    expect((await kpis(F)).totals).toMatchObject({ runs: 2, open: 1, fcr: { eligible: 1, firstContact: 0 } });
    // Nothing left to refresh.
    expect((await refreshRunFacts(pool)).runs).toBe(0);
  });
});

describe('response time sources', () => {
  it("prefers the API's measure, then the API's receipt time, then the workflow's stamps", async () => {
    const F = randomUUID();
    const base = at(2 * H).getTime();
    // W1: answered within the chat turn; the workflow stamped message and reply alike (0 ms), the
    //     API measured 180 ms. W2: the reply came from a timer 5 s later; the API received the
    //     message 250 ms before the workflow stamped it → 5250 ms. W3: a run from before receivedAt: 700 ms.
    await new SyntheticRuns(F)
      .run('W1-' + F, { start: at(2 * H), customerId: 'w1' }, [
        [1, 'message.in', { from: 'customer', receivedAt: base + 1000 - 40 }, 'ask'],
        [1, 'message.out', { from: 'bot' }, 'ask'],
        [2, 'run.finished', { outcome: 'resolved' }],
      ])
      .run('W2-' + F, { start: at(2 * H), customerId: 'w2' }, [
        [1, 'message.in', { from: 'customer', receivedAt: base + 1000 - 250 }, 'ask'],
        [6, 'message.out', { from: 'bot' }, 'later'],
        [7, 'run.finished', { outcome: 'resolved' }],
      ])
      .run('W3-' + F, { start: at(2 * H), customerId: 'w3' }, [...turn(1, 700), [2, 'run.finished', { outcome: 'resolved' }]])
      .insert(pool);
    await pool.query(`INSERT INTO chat_turn_timings (run_id, received_ms, replied_at, response_ms) VALUES ($1, $2, $3, 180)`, [
      'W1-' + F,
      base + 1000 - 40,
      new Date(base + 1000 - 40 + 180),
    ]);
    const { totals } = await kpis(F);
    // 180, 700, 5250 → p50 700; mean 6130 / 3.
    expect(totals.responseTime).toEqual({
      turns: 3,
      unanswered: 0,
      p50Ms: 700,
      p95Ms: expect.closeTo(700 + 0.9 * 4550, 6),
      avgMs: expect.closeTo(6130 / 3, 6),
    });

    // A timing that arrives after the run's facts were computed still counts (it marks the run dirty).
    await pool.query(`INSERT INTO chat_turn_timings (run_id, received_ms, replied_at, response_ms) VALUES ($1, $2, $3, 90)`, [
      'W2-' + F,
      base + 1000 - 250,
      new Date(base + 1000 - 250 + 90),
    ]);
    const again = await kpis(F);
    // 90, 180, 700 → p50 180.
    expect(again.totals.responseTime).toMatchObject({ turns: 3, p50Ms: 180 });
  });
});

describe('KPIs per node and traffic on the graph', () => {
  const F = randomUUID();
  const definition = {
    nodes: ['start', 'ask', 'answer', 'lost'].map((id) => ({ id, type: id === 'answer' || id === 'lost' ? 'end' : id, data: {}, position: { x: 0, y: 0 } })),
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
      { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'answer' },
      { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'lost' },
    ],
  };
  const steps = (...path: [string, string | null | undefined][]) =>
    path.flatMap(([node, branch], i): [number, string, Record<string, unknown>, string][] => [
      [i * 10, 'node.entered', { type: node }, node],
      ...(branch !== undefined ? [[i * 10 + 5, 'node.left', { branch }, node] as [number, string, Record<string, unknown>, string]] : []),
    ]);

  beforeAll(async () => {
    await pool.query(`INSERT INTO flows (id, name, draft) VALUES ($1, 'traffic', '{}')`, [F]);
    await pool.query(`INSERT INTO flow_versions (flow_id, version, definition) VALUES ($1, 1, $2)`, [F, definition]);
    await new SyntheticRuns(F)
      // T1: answered. T2: timed out. T3: still waiting in ask. T4: failed in ask. T5: before the window.
      .run('T1-' + F, { start: at(H), customerId: 'a' }, [
        ...steps(['start', 'next'], ['ask', 'reply'], ['answer', null]),
        ...turn(12, 500, 'ask'),
        [40, 'run.finished', { outcome: 'resolved' }],
      ])
      .run('T2-' + F, { start: at(2 * H), customerId: 'b' }, [
        ...steps(['start', 'next'], ['ask', 'timeout'], ['lost', null]),
        [40, 'run.finished', { outcome: 'abandoned' }],
      ])
      .run('T3-' + F, { start: at(3 * H), customerId: 'c' }, steps(['start', 'next'], ['ask', undefined]))
      .run('T4-' + F, { start: at(4 * H), customerId: 'd' }, [
        ...steps(['start', 'next'], ['ask', undefined]),
        [30, 'run.finished', { status: 'failed', outcome: 'failed' }],
      ])
      .run('T5-' + F, { start: at(-H), customerId: 'e' }, steps(['start', 'next'], ['ask', 'reply'], ['answer', null]))
      .insert(pool);
  });

  it('counts runs per node and branch, and where they stopped', async () => {
    const t = await afterRefresh(() => flowTraffic(pool, { flowId: F, from: T0, to: at(DAY) }));
    expect(t).toMatchObject({ flowId: F, definitionVersion: 1, runs: 4 });
    const node = (id: string) => t.nodes.find((n) => n.nodeId === id);
    expect(node('start')).toMatchObject({ type: 'start', runs: 4, visits: 4, exits: 4, dropped: 0, dropOffRate: 0 });
    // ask: 4 in, 2 out (reply, timeout); T3 waits there, T4 failed there → dropped 2 of 4.
    expect(node('ask')).toMatchObject({ runs: 4, exits: 2, dropped: 2, waiting: 1, ended: 1, dropOffRate: 0.5 });
    expect(node('answer')).toMatchObject({ runs: 1, completed: 1, dropped: 0 });
    expect(node('lost')).toMatchObject({ runs: 1, completed: 1 });
    const edge = (id: string) => t.edges.find((e) => e.id === id);
    expect(edge('e1')).toMatchObject({ source: 'start', sourceHandle: 'next', target: 'ask', runs: 4, transitions: 4, share: 1 });
    expect(edge('e2')).toMatchObject({ runs: 1, transitions: 1, share: 0.5 });
    expect(edge('e3')).toMatchObject({ target: 'lost', runs: 1, share: 0.5 });
  });

  it('shows every node of the definition, with zeros when nobody came', async () => {
    const t = await afterRefresh(() => flowTraffic(pool, { flowId: F, from: at(10 * DAY), to: at(11 * DAY) }));
    expect(t.runs).toBe(0);
    expect(t.nodes.map((n) => [n.nodeId, n.runs])).toEqual([
      ['start', 0],
      ['ask', 0],
      ['answer', 0],
      ['lost', 0],
    ]);
    expect(t.edges.every((e) => e.transitions === 0 && e.share === null)).toBe(true);
  });

  it('adds response time, AI cost, CSAT, escalations and conversions per node', async () => {
    const N = randomUUID();
    await new SyntheticRuns(N)
      .run('N1-' + N, { start: at(H), customerId: 'a' }, [
        [1, 'message.in', { from: 'customer' }, 'ask'],
        [1.2, 'ai.reply', { usage: { promptTokens: 100, completionTokens: 20, costUsd: 0.001 } }, 'answer'],
        [1.5, 'message.out', { from: 'bot' }, 'answer'],
        [5, 'csat', { score: 4 }, 'survey'],
        [6, 'escalation.tier', { tier: 0 }, 'human'],
        [7, 'escalation.accepted', { tier: 0 }, 'human'],
        [9, 'escalation.resolved', { minutes: 2 }, 'human'],
        [10, 'goal', { goal: 'signup', value: 3 }, 'won'],
      ])
      .insert(pool);
    const nodes = await afterRefresh(() => nodeKpis(pool, { flowId: N, from: T0, to: at(DAY), rates }));
    const n = (id: string) => nodes.find((x) => x.nodeId === id)!;
    expect(n('answer').responseTime).toEqual({ turns: 1, p50Ms: 500, p95Ms: 500 });
    expect(n('answer').ai).toEqual({ calls: 1, promptTokens: 100, completionTokens: 20, llmUsd: 0.001 });
    expect(n('survey').csat).toEqual({ responses: 1, average: 4, topShare: 1 });
    expect(n('human').escalation).toEqual({ escalatedRuns: 1, accepted: 1, humanMinutes: 2, humanUsd: 1 });
    expect(n('won').conversions).toEqual({ runs: 1, value: 3 });
  });
});
