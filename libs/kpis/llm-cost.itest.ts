// The LLM's cost in cost per interaction comes from every event that carries an LLM's usage
// (LLM_USAGE_EVENT_TYPES), the escalation summary's `ai.summary` included: its tokens were once
// counted by the SQL while nothing emitted the event. Real PostgreSQL of the global setup.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { DEFAULT_KPI_SETTINGS, resolveRates } from './config';
import { refreshRunFacts } from './facts';
import { computeKpis } from './kpis';
import { nodeKpis } from './nodes';
import { SyntheticRuns } from './synthetic-events';

const H = 3600;
const T0 = new Date('2026-02-03T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const rates = resolveRates(DEFAULT_KPI_SETTINGS); // reported LLM cost, 0.50 USD per agent minute

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
});
afterAll(() => pool.end());

/**
 * S1 escalates: the summary for the agent costs 800 prompt / 120 completion tokens, 0.004 USD; an
 * agent works 2 minutes (1 USD). S2 answers from the knowledge base: 200 / 50 tokens, 0.001 USD.
 * Both finish. LLM 0.005 USD + agents 1 USD = 1.005 USD over 2 finished runs.
 */
function scenario(flowId: string): SyntheticRuns {
  return new SyntheticRuns(flowId)
    .run(`S1-${flowId}`, { start: at(H), customerId: 'a' }, [
      [1, 'escalation.tier', { tier: 0, queue: 'soporte', sla: '10m' }, 'human'],
      [2, 'ai.summary', { engine: 'llm', usage: { model: 'm', promptTokens: 800, completionTokens: 120, costUsd: 0.004 } }, 'human'],
      [10, 'escalation.accepted', { tier: 0, queue: 'soporte', agent: 'Marta' }, 'human'],
      [130, 'escalation.resolved', { tier: 0, agent: 'Marta', minutes: 2 }, 'human'],
      [131, 'run.finished', { status: 'completed', outcome: 'resolved' }],
    ])
    .run(`S2-${flowId}`, { start: at(2 * H), customerId: 'b' }, [
      [
        1,
        'ai.reply',
        { answered: true, confidence: 0.9, sources: [], usage: { model: 'm', promptTokens: 200, completionTokens: 50, costUsd: 0.001 } },
        'answer',
      ],
      [2, 'run.finished', { status: 'completed', outcome: 'resolved' }],
    ]);
}

describe('LLM cost in cost per interaction', () => {
  const F = randomUUID();
  beforeAll(async () => {
    await scenario(F).insert(pool);
    await refreshRunFacts(pool);
  });

  it('counts the escalation summary’s tokens and reported cost (per-run facts)', async () => {
    const { totals } = await computeKpis(pool, { from: at(0), to: at(12 * H), flowIds: [F], rates });
    expect(totals.cost.promptTokens).toBe(1000);
    expect(totals.cost.completionTokens).toBe(170);
    expect(totals.cost.llmUsd).toBeCloseTo(0.005, 12);
    expect(totals.cost.totalUsd).toBeCloseTo(1.005, 12);
    expect(totals.cost.perInteractionUsd).toBeCloseTo(0.5025, 12);
  });

  it('prices the summary’s tokens at the configured rates, from the daily rollups too', async () => {
    await refreshRunFacts(pool, { settleSeconds: 0 }); // roll the day up now: a whole-day window reads kpi_daily
    const priced = { ...rates, promptTokenCost: 0.002, completionTokenCost: 0.006 };
    const { totals } = await computeKpis(pool, { from: T0, to: at(24 * H), flowIds: [F], rates: priced });
    // 1000 × 0.002 / 1000 + 170 × 0.006 / 1000 = 0.002 + 0.00102.
    expect(totals.cost.llmUsd).toBeCloseTo(0.00302, 12);
    expect(totals.cost.perInteractionUsd).toBeCloseTo((0.00302 + 1) / 2, 12);
  });

  it('puts the summary’s call on the escalate node', async () => {
    const nodes = await nodeKpis(pool, { flowId: F, from: at(0), to: at(12 * H), rates });
    expect(nodes.find((n) => n.nodeId === 'human')?.ai).toEqual({ calls: 1, promptTokens: 800, completionTokens: 120, llmUsd: 0.004 });
  });
});
