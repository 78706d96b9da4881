import { ALERT_KPI_NAMES, ALERT_KPIS } from '../alert-kpis';
import { DEFAULT_KPI_SETTINGS, resolveRates } from '../config';
import { flattenKpis } from '../csv';
import { count, derived, deriveKpiValues, FCR_MEASURES, kpi, KPI_LIST, KpiSums, RUN_MEASURES, valueAt } from './index';

/** Sums of a made-up group, the arithmetic of each KPI worked out by hand in the tests below. */
function sums(over: Partial<KpiSums> = {}, m: Partial<KpiSums['m']> = {}): KpiSums {
  const zero = Object.fromEntries([...RUN_MEASURES.map(([c]) => c), ...FCR_MEASURES].map((c) => [c, 0])) as KpiSums['m'];
  return {
    m: {
      ...zero,
      runs: 10,
      finished: 8,
      escalated: 2,
      human: 1,
      ai_resolved: 4,
      converted: 2,
      human_minutes: 10,
      prompt_tokens: 1000,
      completion_tokens: 500,
      reported_cost: 0.5,
      csat_sum: 12,
      csat_n: 3,
      csat_top: 2,
      unanswered: 1,
      fcr_settled: 6,
      resolved: 5,
      fcr_recontact: 1,
      fcr_pending: 2,
      ...m,
    },
    outcomes: { resolved: 5, abandoned: 2, failed: 1 },
    goals: [
      { goal: 'signup', runs: 1, value: 0 },
      { goal: 'purchase', runs: 2, value: 30 },
    ],
    response: { answered: 4, p50: 1000, p95: 3000, avg: 1500 },
    ttr: { p50: 60, p95: 600, avg: 120 },
    rates: resolveRates(DEFAULT_KPI_SETTINGS),
    ...over,
  };
}

describe('the KPI registry', () => {
  it('gives every KPI one id, and every CSV column once', () => {
    const ids = KPI_LIST.map(({ kpi }) => kpi.id);
    expect(new Set(ids).size).toBe(ids.length);
    const columns = KPI_LIST.flatMap(({ kpi }) => ('csv' in kpi && kpi.csv ? [kpi.csv] : []));
    expect(new Set(columns).size).toBe(columns.length);
  });

  it('derives KPIs only from measures the facts and the report query have', () => {
    const known = new Set<string>([...RUN_MEASURES.map(([c]) => c), ...FCR_MEASURES]);
    for (const { kpi } of KPI_LIST) for (const m of kpi.measures) expect([kpi.id, known.has(m)]).toEqual([kpi.id, true]);
  });

  it('keeps the CSV columns of the export, in their order (a spreadsheet reading them must not break)', () => {
    expect(Object.keys(flattenKpis(deriveKpiValues(sums())))).toEqual([
      'runs',
      'finished',
      'open',
      'response_turns',
      'response_unanswered',
      'response_p50_ms',
      'response_p95_ms',
      'response_avg_ms',
      'escalated',
      'human_handled',
      'escalation_rate',
      'ai_resolved',
      'ai_resolution_rate',
      'fcr_eligible',
      'fcr_first_contact',
      'fcr_pending',
      'fcr_rate',
      'csat_responses',
      'csat_average',
      'csat_top_share',
      'abandoned',
      'abandonment_rate',
      'failed',
      'failure_rate',
      'resolved',
      'ttr_p50_s',
      'ttr_p95_s',
      'ttr_avg_s',
      'converted',
      'conversion_rate',
      'conversion_value',
      'prompt_tokens',
      'completion_tokens',
      'llm_usd',
      'human_minutes',
      'human_usd',
      'total_usd',
      'cost_per_interaction_usd',
      'baseline_usd',
      'savings_usd',
      'roi',
    ]);
  });

  it('lets alert rules watch the KPIs they always could (stored rules name them), each with its sample', () => {
    expect([...ALERT_KPI_NAMES].sort()).toEqual(
      [
        'runs',
        'escalationRate',
        'aiResolutionRate',
        'fcrRate',
        'csatAverage',
        'csatTopShare',
        'abandonmentRate',
        'failureRate',
        'responseTimeP50Ms',
        'responseTimeP95Ms',
        'timeToResolutionP50Seconds',
        'conversionRate',
        'costPerInteractionUsd',
        'roi',
      ].sort(),
    );
    const v = deriveKpiValues(sums());
    expect(ALERT_KPIS.escalationRate.value(v)).toBe(0.25);
    expect(ALERT_KPIS.escalationRate.sample(v)).toBe(8);
    expect(ALERT_KPIS.fcrRate.sample(v)).toBe(4);
    expect(ALERT_KPIS.csatAverage.sample(v)).toBe(3);
    expect(ALERT_KPIS.responseTimeP95Ms.sample(v)).toBe(4);
    expect(ALERT_KPIS.timeToResolutionP50Seconds.sample(v)).toBe(5);
    expect(ALERT_KPIS.escalationRate.description).toBe('share of finished runs that escalated (0-1)');
  });

  it('derives every value of a group from its sums', () => {
    const v = deriveKpiValues(sums());
    expect(v.runs).toBe(10);
    expect(v.open).toBe(2);
    expect(v.outcomes).toEqual({ abandoned: 2, failed: 1, resolved: 5 });
    expect(Object.keys(v.outcomes)).toEqual(['abandoned', 'failed', 'resolved']);
    expect(v.responseTime).toEqual({ turns: 4, unanswered: 1, p50Ms: 1000, p95Ms: 3000, avgMs: 1500 });
    expect(v.escalation).toEqual({ escalated: 2, humanHandled: 1, rate: 0.25 });
    expect(v.aiResolution).toEqual({ resolved: 4, rate: 0.5 });
    // 6 settled: 2 pending, so 4 eligible; 1 came back, so 3 first contact.
    expect(v.fcr).toEqual({ windowHours: 72, eligible: 4, firstContact: 3, pending: 2, rate: 0.75 });
    expect(v.csat).toEqual({ responses: 3, average: 4, topShare: 2 / 3 });
    expect(v.abandonment).toEqual({ abandoned: 2, rate: 0.25 });
    expect(v.failures).toEqual({ failed: 1, rate: 0.125 });
    expect(v.timeToResolution).toEqual({ resolved: 5, p50Seconds: 60, p95Seconds: 600, avgSeconds: 120 });
    expect(v.conversion).toEqual({
      converted: 2,
      rate: 0.25,
      value: 30,
      perGoal: [
        { goal: 'purchase', runs: 2, rate: 0.25, value: 30 },
        { goal: 'signup', runs: 1, rate: 0.125, value: 0 },
      ],
    });
    // Reported LLM cost 0.5 USD; 10 agent minutes × 0.50 = 5 USD; 5.5 over 8 finished. Baseline 8 × 5 = 40.
    expect(v.cost).toEqual({
      promptTokens: 1000,
      completionTokens: 500,
      llmUsd: 0.5,
      humanMinutes: 10,
      humanUsd: 5,
      totalUsd: 5.5,
      perInteractionUsd: 5.5 / 8,
    });
    expect(v.roi).toEqual({ baselineUsd: 40, savingsUsd: 34.5, roi: 34.5 / 5.5 });
  });

  it('prices tokens at the configured rates when there are any, and has no ratio over nothing', () => {
    const priced = deriveKpiValues(sums({ rates: { ...resolveRates(DEFAULT_KPI_SETTINGS), promptTokenCost: 0.002, completionTokenCost: null } }));
    expect(priced.cost.llmUsd).toBeCloseTo(0.002, 12); // 1000 × 0.002 / 1000, completion tokens free
    const empty = deriveKpiValues(
      sums({}, { runs: 0, finished: 0, csat_n: 0, fcr_settled: 0, fcr_pending: 0, fcr_recontact: 0, human_minutes: 0, reported_cost: 0 }),
    );
    expect([empty.escalation.rate, empty.csat.average, empty.fcr.rate, empty.cost.perInteractionUsd, empty.roi.roi]).toEqual([null, null, null, null, null]);
  });

  it('declares `nullable` on every KPI that can be null, as the API document shows it; kpi() refuses a declaration that disagrees', () => {
    const zero = Object.fromEntries([...RUN_MEASURES.map(([c]) => c), ...FCR_MEASURES].map((c) => [c, 0])) as KpiSums['m'];
    const nothing = deriveKpiValues(
      sums({ goals: [], outcomes: {}, response: { answered: 0, p50: null, p95: null, avg: null }, ttr: { p50: null, p95: null, avg: null } }, zero),
    );
    const nullNow = KPI_LIST.filter(({ path }) => valueAt(nothing, path) === null).map(({ kpi }) => kpi.id);
    expect(nullNow.length).toBeGreaterThan(0);
    expect(nullNow).toEqual(KPI_LIST.filter(({ kpi }) => 'nullable' in kpi).map(({ kpi }) => kpi.id));
    // Checked by tsc (npm run typecheck), not at run time:
    // @ts-expect-error a KPI that can be null must say so
    kpi({ id: 'late', description: 'x', unit: 'ms', ...derived([], () => null as number | null) });
    // @ts-expect-error and one that cannot must not
    kpi({ id: 'count', description: 'x', unit: 'runs', nullable: true, ...count('runs') });
  });
});
