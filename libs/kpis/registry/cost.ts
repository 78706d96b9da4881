import { ratio } from '../sql';
import { count, derived, kpi, KpiSums } from './define';

/**
 * LLM cost: the tokens at the configured rates (USD per 1,000), or, with no token rate configured,
 * the cost the AI activities reported (usage.costUsd). Tokens come from every event with an LLM's
 * usage (LLM_USAGE_EVENT_TYPES), of the finished runs.
 */
function llmUsd(s: KpiSums): number {
  const { promptTokenCost, completionTokenCost } = s.rates;
  if (promptTokenCost === null && completionTokenCost === null) return s.m.reported_cost;
  return (s.m.prompt_tokens * (promptTokenCost ?? 0)) / 1000 + (s.m.completion_tokens * (completionTokenCost ?? 0)) / 1000;
}
const humanUsd = (s: KpiSums) => s.m.human_minutes * s.rates.humanMinuteCost;
const totalUsd = (s: KpiSums) => llmUsd(s) + humanUsd(s);
/** finished × baseline cost per contact: what the contacts would have cost without the flow. */
const baselineUsd = (s: KpiSums) => s.m.finished * s.rates.baselineCostPerContact;
const COST_MEASURES = ['prompt_tokens', 'completion_tokens', 'reported_cost', 'human_minutes'] as const;

/** Cost per interaction: LLM tokens and human minutes at the configured rates. */
export const costKpis = {
  promptTokens: kpi({
    id: 'promptTokens',
    description: 'prompt tokens of the LLM calls of the finished runs',
    unit: 'tokens',
    csv: 'prompt_tokens',
    ...count('prompt_tokens'),
  }),
  completionTokens: kpi({
    id: 'completionTokens',
    description: 'completion tokens of the same',
    unit: 'tokens',
    csv: 'completion_tokens',
    ...count('completion_tokens'),
  }),
  llmUsd: kpi({
    id: 'llmUsd',
    description: 'LLM cost (USD)',
    unit: 'usd',
    csv: 'llm_usd',
    ...derived(['prompt_tokens', 'completion_tokens', 'reported_cost'], llmUsd),
  }),
  humanMinutes: kpi({
    id: 'humanMinutes',
    description: 'agent minutes (acceptance to close) of the finished runs',
    unit: 'minutes',
    csv: 'human_minutes',
    ...count('human_minutes'),
  }),
  humanUsd: kpi({
    id: 'humanUsd',
    description: 'agent minutes at the human minute cost (USD)',
    unit: 'usd',
    csv: 'human_usd',
    ...derived(['human_minutes'], humanUsd),
  }),
  totalUsd: kpi({ id: 'totalUsd', description: 'LLM plus agent cost (USD)', unit: 'usd', csv: 'total_usd', ...derived(COST_MEASURES, totalUsd) }),
  perInteractionUsd: kpi({
    id: 'costPerInteractionUsd',
    description: 'cost per finished run (USD)',
    unit: 'usd',
    nullable: true,
    csv: 'cost_per_interaction_usd',
    alert: { sample: 'finished' },
    ...derived([...COST_MEASURES, 'finished'], (s) => ratio(totalUsd(s), s.m.finished)),
  }),
};

/** Return on the flow's cost against what the contacts would have cost without it. */
export const roiKpis = {
  baselineUsd: kpi({
    id: 'baselineUsd',
    description: 'finished runs at the baseline cost per contact (USD)',
    unit: 'usd',
    csv: 'baseline_usd',
    ...derived(['finished'], baselineUsd),
  }),
  savingsUsd: kpi({
    id: 'savingsUsd',
    description: 'baseline minus total cost (USD)',
    unit: 'usd',
    csv: 'savings_usd',
    ...derived([...COST_MEASURES, 'finished'], (s) => baselineUsd(s) - totalUsd(s)),
  }),
  roi: kpi({
    id: 'roi',
    description: 'ROI against the baseline cost per contact',
    unit: 'ratio',
    nullable: true,
    csv: 'roi',
    alert: { sample: 'finished' },
    ...derived([...COST_MEASURES, 'finished'], (s) => {
      const total = totalUsd(s);
      return total > 0 ? (baselineUsd(s) - total) / total : null;
    }),
  }),
};
