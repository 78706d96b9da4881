import type { KpiRates } from './config';
import { refreshRunFacts } from './facts';
import { jsonNumber, KpiDb, Params, ratio, toNullableNumber, toNumber, withWorkMem } from './sql';
import { flowTraffic, NodeTraffic } from './traffic';

/**
 * KPIs per node of one flow, over the same cohort as computeKpis (runs started in [from, to)):
 * traffic and drop-off (see traffic.ts), response time of the replies the node gave, LLM tokens and
 * cost of its AI calls, CSAT answers it collected, escalations it opened, conversions it recorded.
 */
export interface NodeKpiQuery {
  flowId: string;
  from: Date;
  to: Date;
  version?: number;
  rates: KpiRates;
}

export interface NodeKpis extends NodeTraffic {
  responseTime: { turns: number; p50Ms: number | null; p95Ms: number | null };
  ai: { calls: number; promptTokens: number; completionTokens: number; llmUsd: number };
  csat: { responses: number; average: number | null; topShare: number | null };
  escalation: { escalatedRuns: number; accepted: number; humanMinutes: number; humanUsd: number };
  conversions: { runs: number; value: number };
}

const AI_TYPES = `('ai.classified', 'ai.sentiment', 'ai.reply', 'ai.summary')`;

export async function nodeKpis(db: KpiDb, q: NodeKpiQuery): Promise<NodeKpis[]> {
  const p = new Params();
  const flow = p.add(q.flowId);
  const from = p.add(q.from);
  const version = q.version !== undefined ? ` AND version = ${p.add(q.version)}::int` : '';
  const cohort = `SELECT run_id FROM kpi_run_facts
    WHERE flow_id = ${flow}::uuid AND started_at >= ${from} AND started_at < ${p.add(q.to)}${version}`;
  const score = jsonNumber(`data->'score'`);
  const perNode = `
    WITH cohort AS MATERIALIZED (${cohort})
    SELECT node_id,
      count(*) FILTER (WHERE type IN ${AI_TYPES})::int AS ai_calls,
      coalesce(sum(${jsonNumber(`data->'usage'->'promptTokens'`)}) FILTER (WHERE type IN ${AI_TYPES}), 0)::float8 AS prompt_tokens,
      coalesce(sum(${jsonNumber(`data->'usage'->'completionTokens'`)}) FILTER (WHERE type IN ${AI_TYPES}), 0)::float8 AS completion_tokens,
      coalesce(sum(${jsonNumber(`data->'usage'->'costUsd'`)}) FILTER (WHERE type IN ${AI_TYPES}), 0)::float8 AS reported_cost,
      count(${score}) FILTER (WHERE type = 'csat')::int AS csat_n,
      avg(${score}) FILTER (WHERE type = 'csat')::float8 AS csat_avg,
      count(*) FILTER (WHERE type = 'csat' AND ${score} >= 4)::int AS csat_top,
      count(DISTINCT run_id) FILTER (WHERE type = 'escalation.tier')::int AS escalated_runs,
      count(*) FILTER (WHERE type = 'escalation.accepted')::int AS accepted,
      coalesce(sum(${jsonNumber(`data->'minutes'`)}) FILTER (WHERE type IN ('escalation.resolved', 'escalation.returned')), 0)::float8 AS human_minutes,
      count(DISTINCT run_id) FILTER (WHERE type = 'goal')::int AS goal_runs,
      coalesce(sum(${jsonNumber(`data->'value'`)}) FILTER (WHERE type = 'goal'), 0)::float8 AS goal_value
    FROM run_events
    WHERE flow_id = ${flow}::uuid AND occurred_at >= ${from}${version} AND node_id IS NOT NULL
      AND type IN ('ai.classified', 'ai.sentiment', 'ai.reply', 'ai.summary', 'csat', 'escalation.tier', 'escalation.accepted',
                   'escalation.resolved', 'escalation.returned', 'goal')
      AND run_id IN (SELECT run_id FROM cohort)
    GROUP BY node_id`;
  const responses = `
    WITH cohort AS MATERIALIZED (${cohort}),
    msgs AS (
      SELECT run_id, seq, occurred_at, node_id, (type = 'message.out' OR data->>'from' = 'agent') AS is_reply
      FROM run_events
      WHERE flow_id = ${flow}::uuid AND occurred_at >= ${from}${version} AND type IN ('message.in', 'message.out')
        AND run_id IN (SELECT run_id FROM cohort)
    ),
    numbered AS (
      SELECT *, count(*) FILTER (WHERE is_reply) OVER (PARTITION BY run_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS turn
      FROM msgs
    ),
    turns AS (
      SELECT (array_agg(node_id ORDER BY seq) FILTER (WHERE is_reply))[1] AS node_id,
        extract(epoch FROM min(occurred_at) FILTER (WHERE is_reply) - min(occurred_at) FILTER (WHERE NOT is_reply)) * 1000 AS ms
      FROM numbered GROUP BY run_id, turn
      HAVING bool_or(NOT is_reply) AND bool_or(is_reply)
    )
    SELECT node_id, count(*)::int AS turns,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95
    FROM turns WHERE node_id IS NOT NULL GROUP BY node_id`;
  await refreshRunFacts(db);
  const [traffic, facts, replies] = await Promise.all([
    flowTraffic(db, { ...q, refresh: false }),
    withWorkMem(db, (c) => c.query(perNode, p.values)).then((r) => r.rows),
    withWorkMem(db, (c) => c.query(responses, p.values)).then((r) => r.rows),
  ]);
  const tokenPricing = q.rates.promptTokenCost !== null || q.rates.completionTokenCost !== null;
  const byId = new Map<string, NodeKpis>();
  const get = (id: string): NodeKpis => {
    let n = byId.get(id);
    if (!n) {
      const t = traffic.nodes.find((x) => x.nodeId === id) ?? {
        nodeId: id, type: null, runs: 0, visits: 0, exits: 0, completed: 0, dropped: 0, waiting: 0, ended: 0, dropOffRate: null,
      };
      n = {
        ...t,
        responseTime: { turns: 0, p50Ms: null, p95Ms: null },
        ai: { calls: 0, promptTokens: 0, completionTokens: 0, llmUsd: 0 },
        csat: { responses: 0, average: null, topShare: null },
        escalation: { escalatedRuns: 0, accepted: 0, humanMinutes: 0, humanUsd: 0 },
        conversions: { runs: 0, value: 0 },
      };
      byId.set(id, n);
    }
    return n;
  };
  for (const t of traffic.nodes) get(t.nodeId);
  for (const f of facts) {
    const n = get(f.node_id);
    const promptTokens = toNumber(f.prompt_tokens);
    const completionTokens = toNumber(f.completion_tokens);
    n.ai = {
      calls: f.ai_calls,
      promptTokens,
      completionTokens,
      llmUsd: tokenPricing
        ? (promptTokens * (q.rates.promptTokenCost ?? 0) + completionTokens * (q.rates.completionTokenCost ?? 0)) / 1000
        : toNumber(f.reported_cost),
    };
    n.csat = { responses: f.csat_n, average: toNullableNumber(f.csat_avg), topShare: ratio(f.csat_top, f.csat_n) };
    const minutes = toNumber(f.human_minutes);
    n.escalation = { escalatedRuns: f.escalated_runs, accepted: f.accepted, humanMinutes: minutes, humanUsd: minutes * q.rates.humanMinuteCost };
    n.conversions = { runs: f.goal_runs, value: toNumber(f.goal_value) };
  }
  for (const r of replies) get(r.node_id).responseTime = { turns: r.turns, p50Ms: toNullableNumber(r.p50), p95Ms: toNullableNumber(r.p95) };
  return [...byId.values()];
}
