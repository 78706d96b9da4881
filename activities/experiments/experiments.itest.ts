// The adaptive abSplit: the assignment activity on the real PostgreSQL, then the interpreter running
// adaptive and plain splits on the real Temporal dev server with that activity.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { SyntheticRuns } from '../../libs/kpis/synthetic-events';
import { testInfra } from '../../test/infra';
import { InterpreterHarness } from '../../test/interpreter/harness';
import { startValid, validFlow } from '../../test/interpreter/spec-util';
import type { AssignVariantInput } from '../../contracts/activities';
import { createExperimentActivities } from './experiments.activities';

const T0 = new Date('2026-03-01T00:00:00Z');
const AB = [
  { id: 'A', weight: 50 },
  { id: 'B', weight: 50 },
];

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
});
afterAll(() => pool.end());

/** Past results of the flow's `welcome` experiment: per variant, exposed customers and how many converted. */
async function history(flowId: string, results: Record<string, [exposed: number, converted: number]>) {
  const runs = new SyntheticRuns(flowId);
  for (const [variant, [exposed, converted]] of Object.entries(results)) {
    for (let i = 0; i < exposed; i++) {
      runs.run(`${flowId}-${variant}-${i}`, { start: new Date(T0.getTime() + i * 1000), customerId: `past-${variant}-${i}` }, [
        [1, 'experiment.exposure', { experiment: 'welcome', variant }, 'split'],
        ...(i < converted
          ? [[2, 'goal', { goal: 'purchase', experiments: { welcome: variant } }, 'won'] as [number, string, Record<string, unknown>, string]]
          : []),
      ]);
    }
  }
  await runs.insert(pool);
}

const input = (flowId: string, subject: string, variants = AB): AssignVariantInput => ({
  ctx: { runId: `run-${randomUUID()}`, flowId, nodeId: 'split', idempotencyKey: 'k' },
  flowId,
  experiment: 'welcome',
  subject,
  variants,
});

describe('assignExperimentVariant', () => {
  it('sends new customers to the variant that converts better, and keeps every first assignment', async () => {
    const flowId = randomUUID();
    await history(flowId, { A: [100, 5], B: [100, 40] }); // 5% against 40%
    const { assignExperimentVariant } = createExperimentActivities({ pool });
    const picks = await Promise.all(Array.from({ length: 100 }, (_, i) => assignExperimentVariant(input(flowId, `new-${i}`))));
    expect(picks.every((p) => p.assignment === 'new')).toBe(true);
    // P(θB > θA) with Beta(41, 61) against Beta(6, 96) is above 0.9999.
    expect(picks.filter((p) => p.variant === 'B').length).toBeGreaterThanOrEqual(98);

    // The same customers again: the same variants, as existing assignments.
    for (let i = 0; i < 10; i++) {
      expect(await assignExperimentVariant(input(flowId, `new-${i}`))).toEqual({ variant: picks[i].variant, assignment: 'existing' });
    }
    // A customer first assigned A (when A looked better) stays in A.
    await pool.query(`INSERT INTO experiment_assignments (flow_id, experiment, subject, variant) VALUES ($1, 'welcome', 'loyal', 'A')`, [flowId]);
    expect(await assignExperimentVariant(input(flowId, 'loyal'))).toEqual({ variant: 'A', assignment: 'existing' });
  });

  it('splits evenly without data, never picks a variant of weight 0, and replaces a variant that was removed', async () => {
    const flowId = randomUUID();
    const { assignExperimentVariant } = createExperimentActivities({ pool });
    const variants = [...AB, { id: 'C', weight: 0 }];
    const picks = await Promise.all(Array.from({ length: 200 }, (_, i) => assignExperimentVariant(input(flowId, `c-${i}`, variants))));
    const count = (v: string) => picks.filter((p) => p.variant === v).length;
    // Both uniform priors: each variant ~100 of 200 (binomial sd ≈ 7).
    expect(count('A')).toBeGreaterThan(65);
    expect(count('B')).toBeGreaterThan(65);
    expect(count('C')).toBe(0);

    await pool.query(`INSERT INTO experiment_assignments (flow_id, experiment, subject, variant) VALUES ($1, 'welcome', 'gone', 'Z')`, [flowId]);
    const replaced = await assignExperimentVariant(input(flowId, 'gone'));
    expect(replaced.assignment).toBe('new');
    expect(['A', 'B']).toContain(replaced.variant);
    expect((await pool.query(`SELECT variant FROM experiment_assignments WHERE flow_id = $1 AND subject = 'gone'`, [flowId])).rows[0].variant).toBe(
      replaced.variant,
    );
  });

  it('gives two concurrent first assignments of one customer the same variant (the first insert wins)', async () => {
    const flowId = randomUUID();
    await history(flowId, { A: [30, 15], B: [30, 14] }); // close: draws differ, the seed and the table keep them equal
    for (let i = 0; i < 10; i++) {
      const a = createExperimentActivities({ pool }).assignExperimentVariant;
      const b = createExperimentActivities({ pool }).assignExperimentVariant;
      const [x, y] = await Promise.all([a(input(flowId, `race-${i}`)), b(input(flowId, `race-${i}`))]);
      expect(x.variant).toBe(y.variant);
    }
  });

  it('refuses incomplete input without retries', async () => {
    const { assignExperimentVariant } = createExperimentActivities({ pool });
    await expect(assignExperimentVariant({ ...input(randomUUID(), 's'), variants: [] })).rejects.toMatchObject({ nonRetryable: true });
    await expect(assignExperimentVariant(input('not-a-uuid', 's'))).rejects.toMatchObject({ nonRetryable: true });
  });
});

describe('the abSplit node in the interpreter', () => {
  const h = new InterpreterHarness();
  beforeAll(async () => {
    // The real assignment activity next to the harness's fakes.
    (h.fakes.activities as Record<string, unknown>).assignExperimentVariant = createExperimentActivities({ pool }).assignExperimentVariant;
    await h.setup();
  }, 60_000);
  afterAll(() => h.teardown());

  const splitFlow = (adaptive: boolean) =>
    validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['split', 'abSplit', { experiment: 'welcome', variants: AB, ...(adaptive ? { adaptive: true } : {}) }],
        ['a', 'end', { outcome: 'copy-a' }],
        ['b', 'end', { outcome: 'copy-b' }],
      ],
      [
        ['start', 'next', 'split'],
        ['split', 'A', 'a'],
        ['split', 'B', 'b'],
      ],
    );

  async function run(flowId: string, customerId: string, adaptive: boolean, test = false) {
    const handle = await startValid(h, splitFlow(adaptive), { flowId, customerId, ...(test ? { test: true } : {}) });
    const result = (await handle.result()) as { outcome: string };
    return { runId: handle.workflowId, variant: result.outcome === 'copy-a' ? 'A' : 'B' };
  }

  it('adaptive: shifts new customers to the better variant, keeps a returning customer in theirs, records the exposure', async () => {
    const flowId = randomUUID();
    await history(flowId, { A: [80, 2], B: [80, 30] });
    await pool.query(`INSERT INTO experiment_assignments (flow_id, experiment, subject, variant) VALUES ($1, 'welcome', 'returning', 'A')`, [flowId]);
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => run(flowId, `cust-${i}`, true)));
    expect(runs.filter((r) => r.variant === 'B').length).toBeGreaterThanOrEqual(11);
    const again = await run(flowId, 'cust-0', true);
    expect(again.variant).toBe(runs[0].variant);
    const loyal = await run(flowId, 'returning', true);
    expect(loyal.variant).toBe('A');
    const exposure = (await h.events(loyal.runId)).find((e) => e.type === 'experiment.exposure');
    expect(exposure?.data).toEqual({ experiment: 'welcome', variant: 'A', adaptive: true });
  });

  it('plain splits keep the stable hash, never ask the activity, and emit what they always did', async () => {
    const flowId = randomUUID();
    const r = await run(flowId, 'cust-plain', false);
    const exposure = (await h.events(r.runId)).find((e) => e.type === 'experiment.exposure');
    expect(exposure?.data).toEqual({ experiment: 'welcome', variant: r.variant });
    expect((await pool.query(`SELECT count(*)::int AS n FROM experiment_assignments WHERE flow_id = $1`, [flowId])).rows[0].n).toBe(0);
  });

  it('test runs of drafts use the hash even on an adaptive split (nothing stored)', async () => {
    const flowId = randomUUID();
    await run(flowId, 'cust-test', true, true);
    expect((await pool.query(`SELECT count(*)::int AS n FROM experiment_assignments WHERE flow_id = $1`, [flowId])).rows[0].n).toBe(0);
  });
});
