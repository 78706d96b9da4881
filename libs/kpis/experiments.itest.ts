// Experiment results over synthetic exposures and goals on the real PostgreSQL, against hand-computed
// statistics. Every test uses its own flow id.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { experimentResults, variantCounts } from './experiments';
import { SyntheticRuns } from './synthetic-events';

const T0 = new Date('2026-02-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const DAY = 86_400;

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
});
afterAll(() => pool.end());

async function publish(flowId: string, variants: { id: string; weight: number }[], adaptive = false) {
  await pool.query(`INSERT INTO flows (id, name, draft) VALUES ($1, 'exp', '{}')`, [flowId]);
  const definition = {
    nodes: [{ id: 'split', type: 'abSplit', data: { experiment: 'welcome', variants, adaptive }, position: { x: 0, y: 0 } }],
    edges: [],
  };
  await pool.query(`INSERT INTO flow_versions (flow_id, version, definition) VALUES ($1, 1, $2)`, [flowId, definition]);
}

/** `n` customers exposed to `variant` (prefix-i), the first `converted` of them reaching the goal in the same run. */
function exposures(runs: SyntheticRuns, variant: string, n: number, converted: number, prefix = variant, goal = 'purchase') {
  for (let i = 0; i < n; i++) {
    const customerId = `${prefix}-${i}`;
    runs.run(`${runs.flowId}-${prefix}-${i}`, { start: at(3600 + i * 60), customerId }, [
      [1, 'experiment.exposure', { experiment: 'welcome', variant }, 'split'],
      ...(i < converted
        ? [[30, 'goal', { goal, value: 10, experiments: { welcome: variant } }, 'won'] as [number, string, Record<string, unknown>, string]]
        : []),
      [60, 'run.finished', { outcome: i < converted ? 'converted' : 'resolved' }],
    ]);
  }
}

describe('experiment results', () => {
  it('computes lift, the z-test, the interval and the winner, with a variant that never converts', async () => {
    const F = randomUUID();
    await publish(F, [
      { id: 'A', weight: 50 },
      { id: 'B', weight: 50 },
    ]);
    const runs = new SyntheticRuns(F);
    exposures(runs, 'A', 10, 4);
    exposures(runs, 'B', 10, 0);
    // A returning customer of A: exposed again in a second run, converts there → still one subject, converted (A had 4 → 5? no:
    // A-9 was not converted in its first run; converting in the second makes A 5/10).
    runs.run(`${F}-A-9-again`, { start: at(7200 + 3600), customerId: 'A-9' }, [
      [1, 'experiment.exposure', { experiment: 'welcome', variant: 'A' }, 'split'],
      [5, 'goal', { goal: 'purchase', experiments: { welcome: 'A' } }, 'won'],
    ]);
    await runs.insert(pool);

    const report = await experimentResults(pool, { flowId: F, from: T0, to: at(DAY), minSample: 5, alpha: 0.05 });
    expect(report.experiments).toHaveLength(1);
    const e = report.experiments[0];
    expect(e).toMatchObject({ experiment: 'welcome', nodeId: 'split', adaptive: false, control: 'A', exposures: 20, conversions: 5 });
    const [a, b] = e.variants;
    expect(a).toMatchObject({ id: 'A', weight: 50, exposures: 10, conversions: 5, rate: 0.5, isControl: true, vsControl: null });
    // B 0/10 against A 5/10: pooled p̂ = 5/20 = 0.25; SE₀ = √(0.25·0.75·(1/10 + 1/10)) = √0.0375 = 0.193649;
    // z = (0 − 0.5)/0.193649 = −2.581989; p = 2Φ(−2.581989) = 0.009823.
    // Wald SE = √(0.5·0.5/10 + 0) = 0.158114; CI = −0.5 ± 1.959964·0.158114 = [−0.809898, −0.190102]; lift = −0.5/0.5 = −1.
    expect(b).toMatchObject({ id: 'B', exposures: 10, conversions: 0, rate: 0, isControl: false });
    expect(b.vsControl!.difference).toBeCloseTo(-0.5, 12);
    expect(b.vsControl!.lift).toBeCloseTo(-1, 12);
    expect(b.vsControl!.z).toBeCloseTo(-2.581989, 5);
    expect(b.vsControl!.pValue).toBeCloseTo(0.009823, 5);
    expect(b.vsControl!.ciLow).toBeCloseTo(-0.809898, 5);
    expect(b.vsControl!.ciHigh).toBeCloseTo(-0.190102, 5);
    expect(b.vsControl!.significant).toBe(true);
    expect(a.probabilityBest).toBeGreaterThan(0.99);
    // Both variants have ≥ 5 exposures and A beats B with p < 0.05.
    expect(e).toMatchObject({ status: 'winner', winner: 'A' });

    // With the default minimum sample (100 per variant) there is no winner yet, whatever the p-value.
    const early = await experimentResults(pool, { flowId: F, from: T0, to: at(DAY), minSample: 100, alpha: 0.05 });
    expect(early.experiments[0]).toMatchObject({ status: 'insufficient_data', winner: null });
    expect(early.experiments[0].variants[1].vsControl!.significant).toBe(false);

    // The other goal: nobody converted on "signup" → rates 0, p-value 1, no winner.
    const signup = await experimentResults(pool, { flowId: F, from: T0, to: at(DAY), minSample: 5, alpha: 0.05, goal: 'signup' });
    expect(signup.experiments[0].variants.map((v) => v.conversions)).toEqual([0, 0]);
    expect(signup.experiments[0].variants[1].vsControl).toMatchObject({ pValue: 1, lift: null, z: null });
    expect(signup.experiments[0].status).toBe('no_significant_difference');

    // B as control: A's lift is undefined (B converts 0%), the difference +0.5.
    const flipped = await experimentResults(pool, { flowId: F, from: T0, to: at(DAY), minSample: 5, alpha: 0.05, control: 'B' });
    expect(flipped.experiments[0].control).toBe('B');
    expect(flipped.experiments[0].variants[0].vsControl).toMatchObject({ lift: null, difference: 0.5 });
  });

  it('counts exposures in the period and their conversions even after it', async () => {
    const F = randomUUID();
    await publish(F, [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 1 },
      { id: 'C', weight: 0 },
    ]);
    await new SyntheticRuns(F)
      // Exposed before the window: not counted.
      .run(`${F}-old`, { start: at(-3600), customerId: 'old' }, [[1, 'experiment.exposure', { experiment: 'welcome', variant: 'A' }, 'split']])
      // Exposed at the end of the window, converted after it: counted as a conversion.
      .run(`${F}-late`, { start: at(DAY - 10), customerId: 'late' }, [
        [1, 'experiment.exposure', { experiment: 'welcome', variant: 'B' }, 'split'],
        [3600, 'goal', { goal: 'purchase', experiments: { welcome: 'B' } }, 'won'],
      ])
      .insert(pool);
    const e = (await experimentResults(pool, { flowId: F, from: T0, to: at(DAY), minSample: 1, alpha: 0.05 })).experiments[0];
    expect(e.variants.map((v) => [v.id, v.weight, v.exposures, v.conversions])).toEqual([
      ['A', 1, 0, 0],
      ['B', 1, 1, 1],
      ['C', 0, 0, 0],
    ]);
    // C (and A) have no exposures: no winner can be declared.
    expect(e.status).toBe('insufficient_data');
    expect(e.variants[1].vsControl).toMatchObject({ difference: null, pValue: null });
  });

  it('gives the all-time counts the adaptive split uses', async () => {
    const F = randomUUID();
    const runs = new SyntheticRuns(F);
    exposures(runs, 'A', 6, 1);
    exposures(runs, 'B', 4, 3);
    await runs.insert(pool);
    const counts = await variantCounts(pool, { flowId: F, experiment: 'welcome' });
    expect(counts.sort((x, y) => x.variant.localeCompare(y.variant))).toEqual([
      { experiment: 'welcome', variant: 'A', exposures: 6, conversions: 1 },
      { experiment: 'welcome', variant: 'B', exposures: 4, conversions: 3 },
    ]);
  });

  it('lists nothing for a flow without experiments', async () => {
    expect((await experimentResults(pool, { flowId: randomUUID(), from: T0, to: at(DAY), minSample: 1, alpha: 0.05 })).experiments).toEqual([]);
  });
});
