/**
 * A hand-set logistic churn model: a documented, explainable baseline until a model is fitted on
 * Cauce's own run data. Probability = sigmoid(intercept + sum of feature contributions).
 *
 * The intercept is logit(0.15): a customer about whom nothing is known scores 0.15. Each feature's
 * contribution is `weight * (transform(value) - transform(reference))`, so a feature at its
 * reference value (a typical customer) or missing contributes 0: missing features are neutral.
 * Unknown features are ignored. Feature names match case-insensitively and ignoring `_`/`-`
 * (`days_since_last_purchase` works); a few aliases are accepted.
 *
 * | feature                  | aliases                          | transform            | ref | weight | reads as                               |
 * |--------------------------|----------------------------------|----------------------|-----|--------|----------------------------------------|
 * | daysSinceLastPurchase    | daysSinceLastOrder, recencyDays  | min(x, 180)          | 30  | +0.015 | 180 days without buying: +2.25         |
 * | ordersLast90d            | orders90d                        | min(x, 8)            | 2   | -0.35  | no orders: +0.7; 8 orders: -2.1        |
 * | supportTicketsLast30d    | tickets30d, supportTickets       | min(x, 10)           | 0   | +0.30  | each ticket +0.3                       |
 * | negativeSentimentCount   | negativeSentiment                | min(x, 10)           | 0   | +0.40  | each negative conversation +0.4        |
 * | tenureMonths             | tenure, monthsAsCustomer         | ln(1 + min(x, 120))  | 12  | -0.60  | new customer: +1.5; 5 years: -0.9      |
 * | npsScore                 | nps                              | clamp(x, 0, 10)      | 7   | -0.25  | NPS 0: +1.75; NPS 10: -0.75            |
 * | csatScore                | csat                             | clamp(x, 1, 5)       | 4   | -0.50  | CSAT 1: +1.5; CSAT 5: -0.5             |
 * | failedPaymentsLast90d    | failedPayments                   | min(x, 5)            | 0   | +0.60  | each failed payment +0.6               |
 * | daysSinceLastLogin       | lastLoginDays                    | min(x, 180)          | 7   | +0.010 | 180 days without logging in: +1.7      |
 * | planDowngraded           | downgraded                       | boolean              | no  | +0.80  |                                        |
 * | hasActiveSubscription    | activeSubscription, subscribed   | boolean (false = 1)  | yes | +1.00  | no active subscription: +1.0           |
 *
 * Counts below 0 are read as 0. Numbers may come as numeric strings; booleans as true/false,
 * "true"/"false", "yes"/"no", "si"/"sí", 1/0.
 */
export const CHURN_MODEL_NAME = 'cauce-churn-logistic-v1';
export const CHURN_INTERCEPT = Math.log(0.15 / 0.85);

interface NumericFeature {
  kind: 'number';
  name: string;
  aliases: string[];
  transform: (x: number) => number;
  reference: number;
  weight: number;
}
interface BooleanFeature {
  kind: 'boolean';
  name: string;
  aliases: string[];
  /** Contribution when true and when false. */
  whenTrue: number;
  whenFalse: number;
}
type Feature = NumericFeature | BooleanFeature;

const count = (cap: number) => (x: number) => Math.min(Math.max(x, 0), cap);
const clamp = (lo: number, hi: number) => (x: number) => Math.min(Math.max(x, lo), hi);

export const CHURN_FEATURES: Feature[] = [
  { kind: 'number', name: 'daysSinceLastPurchase', aliases: ['daysSinceLastOrder', 'recencyDays'], transform: count(180), reference: 30, weight: 0.015 },
  { kind: 'number', name: 'ordersLast90d', aliases: ['orders90d'], transform: count(8), reference: 2, weight: -0.35 },
  { kind: 'number', name: 'supportTicketsLast30d', aliases: ['tickets30d', 'supportTickets'], transform: count(10), reference: 0, weight: 0.3 },
  { kind: 'number', name: 'negativeSentimentCount', aliases: ['negativeSentiment'], transform: count(10), reference: 0, weight: 0.4 },
  { kind: 'number', name: 'tenureMonths', aliases: ['tenure', 'monthsAsCustomer'], transform: (x) => Math.log1p(count(120)(x)), reference: 12, weight: -0.6 },
  { kind: 'number', name: 'npsScore', aliases: ['nps'], transform: clamp(0, 10), reference: 7, weight: -0.25 },
  { kind: 'number', name: 'csatScore', aliases: ['csat'], transform: clamp(1, 5), reference: 4, weight: -0.5 },
  { kind: 'number', name: 'failedPaymentsLast90d', aliases: ['failedPayments'], transform: count(5), reference: 0, weight: 0.6 },
  { kind: 'number', name: 'daysSinceLastLogin', aliases: ['lastLoginDays'], transform: count(180), reference: 7, weight: 0.01 },
  { kind: 'boolean', name: 'planDowngraded', aliases: ['downgraded'], whenTrue: 0.8, whenFalse: 0 },
  { kind: 'boolean', name: 'hasActiveSubscription', aliases: ['activeSubscription', 'subscribed'], whenTrue: 0, whenFalse: 1 },
];

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const BY_KEY = new Map<string, Feature>();
for (const f of CHURN_FEATURES) for (const n of [f.name, ...f.aliases]) BY_KEY.set(key(n), f);

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', 'si', 'sí', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
  }
  return undefined;
}

export interface ChurnScore {
  score: number;
  contributions: Record<string, number>;
  model: string;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function scoreChurnFeatures(features: Record<string, unknown>): ChurnScore {
  const contributions: Record<string, number> = {};
  let z = CHURN_INTERCEPT;
  for (const [name, value] of Object.entries(features ?? {})) {
    const feature = BY_KEY.get(key(name));
    if (!feature || feature.name in contributions || value === null || value === undefined) continue;
    let c: number | undefined;
    if (feature.kind === 'number') {
      const x = toNumber(value);
      if (x !== undefined) c = feature.weight * (feature.transform(x) - feature.transform(feature.reference));
    } else {
      const b = toBoolean(value);
      if (b !== undefined) c = b ? feature.whenTrue : feature.whenFalse;
    }
    if (c === undefined) continue;
    contributions[feature.name] = round(c) || 0;
    z += c;
  }
  return { score: round(1 / (1 + Math.exp(-z))), contributions, model: CHURN_MODEL_NAME };
}
