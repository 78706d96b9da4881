import { LLM_USAGE_EVENT_TYPES } from '../../../contracts/run-events';
import { typeIn, typeIs } from '../run-event-sql';
import { jsonNumber } from '../sql';

/**
 * The columns of `kpi_run_facts` that aggregate a run's events directly (one row per run, see
 * facts.ts): each column with its aggregate over the run's events (`ev`, grouped by run). The
 * columns made by their own steps (each turn's response time, unanswered turns, goals) stay in
 * facts.ts. A new column here needs a migration that adds it to `kpi_run_facts` (and a measure over
 * it in measures.ts, summed into `kpi_daily`, needs the same column there).
 */
export interface RunFact {
  column: string;
  /** An aggregate over the run's events (`type`, `data`, `occurred_at`, ...). */
  sql: string;
}

const llm = typeIn(LLM_USAGE_EVENT_TYPES);
const score = jsonNumber(`data->'score'`);
const usage = (field: 'promptTokens' | 'completionTokens' | 'costUsd') => `coalesce(sum(${jsonNumber(`data->'usage'->'${field}'`)}) FILTER (WHERE ${llm}), 0)`;

export const RUN_FACTS: readonly RunFact[] = [
  { column: 'flow_id', sql: 'min(flow_id::text)::uuid' },
  { column: 'version', sql: 'min(version)' },
  { column: 'customer_id', sql: 'max(customer_id)' },
  { column: 'started_at', sql: `min(occurred_at) FILTER (WHERE ${typeIs('run.started')})` },
  { column: 'finished_at', sql: `min(occurred_at) FILTER (WHERE ${typeIs('run.finished')})` },
  { column: 'outcome', sql: `min(coalesce(data->>'outcome', data->>'status', 'completed')) FILTER (WHERE ${typeIs('run.finished')})` },
  { column: 'escalated', sql: `coalesce(bool_or(${typeIs('escalation.tier')}), false)` },
  { column: 'human', sql: `coalesce(bool_or(${typeIs('escalation.accepted')}), false)` },
  {
    column: 'human_minutes',
    sql: `coalesce(sum(${jsonNumber(`data->'minutes'`)}) FILTER (WHERE ${typeIn(['escalation.resolved', 'escalation.returned'])}), 0)`,
  },
  { column: 'csat_sum', sql: `coalesce(sum(${score}) FILTER (WHERE ${typeIs('csat')}), 0)` },
  { column: 'csat_n', sql: `count(${score}) FILTER (WHERE ${typeIs('csat')})` },
  { column: 'csat_top', sql: `count(*) FILTER (WHERE ${typeIs('csat')} AND ${score} >= 4)` },
  // Every LLM call's usage: classification, sentiment, knowledge-base reply and the escalation summary.
  { column: 'prompt_tokens', sql: usage('promptTokens') },
  { column: 'completion_tokens', sql: usage('completionTokens') },
  { column: 'reported_cost', sql: usage('costUsd') },
];
