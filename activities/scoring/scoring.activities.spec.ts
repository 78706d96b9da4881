import { createScoringActivities } from './scoring.activities';
import { CHURN_MODEL_NAME } from './churn-model';

const ctx = { runId: 'r', flowId: 'f', nodeId: 'n', idempotencyKey: 'r:n:1' };
const { scoreChurn } = createScoringActivities();
const score = (features: Record<string, unknown>) => scoreChurn({ ctx, features });

describe('scoreChurn (logistic model)', () => {
  it('gives the baseline 0.15 when nothing is known, and ignores unknown features', async () => {
    expect(await score({})).toEqual({ score: 0.15, contributions: {}, model: CHURN_MODEL_NAME });
    const unknown = await score({ favouriteColour: 'blue', shoeSize: 44 });
    expect(unknown.score).toBe(0.15);
    expect(unknown.contributions).toEqual({});
  });

  it('treats a feature at its reference value as neutral', async () => {
    const out = await score({ daysSinceLastPurchase: 30, ordersLast90d: 2, tenureMonths: 12, npsScore: 7 });
    expect(out.score).toBe(0.15);
    expect(Object.values(out.contributions).every((c) => c === 0)).toBe(true);
  });

  it('scores an at-risk customer high and a loyal one low, with explaining contributions', async () => {
    const risky = await score({
      daysSinceLastPurchase: 150,
      ordersLast90d: 0,
      supportTicketsLast30d: 4,
      negativeSentimentCount: 3,
      tenureMonths: 2,
      npsScore: 2,
    });
    const loyal = await score({ daysSinceLastPurchase: 5, ordersLast90d: 6, supportTicketsLast30d: 0, tenureMonths: 48, npsScore: 10 });
    expect(risky.score).toBeGreaterThan(0.9);
    expect(loyal.score).toBeLessThan(0.05);
    expect(risky.contributions.daysSinceLastPurchase).toBeCloseTo(1.8, 4);
    expect(risky.contributions.supportTicketsLast30d).toBeCloseTo(1.2, 4);
    expect(loyal.contributions.ordersLast90d).toBeLessThan(0);
    for (const s of [risky.score, loyal.score]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it('moves monotonically with each feature', async () => {
    const at = async (days: number) => (await score({ daysSinceLastPurchase: days })).score;
    expect(await at(10)).toBeLessThan(await at(60));
    expect(await at(60)).toBeLessThan(await at(120));
    expect(await at(500)).toBe(await at(180)); // capped
    expect((await score({ npsScore: 9 })).score).toBeLessThan((await score({ npsScore: 3 })).score);
  });

  it('accepts snake_case names, aliases, numeric strings and booleans; ignores garbage', async () => {
    const out = await score({ days_since_last_purchase: '90', nps: '4', plan_downgraded: 'yes', hasActiveSubscription: false, csat: 'n/a' });
    expect(out.contributions).toEqual({ daysSinceLastPurchase: 0.9, npsScore: 0.75, planDowngraded: 0.8, hasActiveSubscription: 1 });
    expect(out.score).toBeGreaterThan(0.5);
  });
});
