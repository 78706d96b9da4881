import type { KpiRates } from './config';
import { windowSources } from './rollups';
import { KpiDb, Params, ratio, toNullableNumber, toNumber, unionAll, withWorkMem } from './sql';
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

export async function nodeKpis(db: KpiDb, q: NodeKpiQuery): Promise<NodeKpis[]> {
  if (!(q.from < q.to)) throw new RangeError('from must be before to');
  const p = new Params();
  const flow = p.add(q.flowId);
  const versionParam = q.version !== undefined ? p.add(q.version) : null;
  const version = (prefix: string) => (versionParam !== null ? ` AND ${prefix}version = ${versionParam}::int` : '');
  // Whole days from kpi_node_daily, the rest from kpi_node_facts (see rollups.ts, windowSources).
  const w = windowSources(p, q.from, q.to, (prefix) => ` AND ${prefix}flow_id = ${flow}::uuid${version(prefix)}`);
  const daily = w.daily('kpi_node_daily');
  const perRun = w.perRun('kpi_node_facts');
  const perNode = `
    SELECT node_id,
      sum(ai_calls)::int AS ai_calls,
      sum(prompt_tokens)::float8 AS prompt_tokens,
      sum(completion_tokens)::float8 AS completion_tokens,
      sum(reported_cost)::float8 AS reported_cost,
      sum(csat_n)::int AS csat_n,
      (sum(csat_sum) / nullif(sum(csat_n), 0)::float8)::float8 AS csat_avg,
      sum(csat_top)::int AS csat_top,
      sum(escalated_runs)::int AS escalated_runs,
      sum(accepted)::int AS accepted,
      sum(human_minutes)::float8 AS human_minutes,
      sum(goal_runs)::int AS goal_runs,
      sum(goal_value)::float8 AS goal_value
    FROM (
      ${unionAll(
        daily &&
          `SELECT node_id, ai_calls, prompt_tokens, completion_tokens, reported_cost, csat_n, csat_sum, csat_top, escalated_runs, accepted,
             human_minutes, goal_runs, goal_value ${daily} AND node_id IS NOT NULL`,
        ...perRun.map(
          (from) =>
            `SELECT node_id, ai_calls, prompt_tokens, completion_tokens, reported_cost, csat_n, csat_sum, csat_top, escalated::int AS escalated_runs,
               accepted, human_minutes, goal::int AS goal_runs, goal_value ${from} AND node_id IS NOT NULL`,
        ),
      )}
    ) x
    GROUP BY node_id`;
  // The response time of every answered turn, under the node that gave its first reply.
  const responses = `
    SELECT node_id, count(*)::int AS turns,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95
    FROM (
      ${unionAll(
        daily && `SELECT node_id, unnest(reply_ms) AS ms ${daily} AND node_id IS NOT NULL AND reply_ms <> '{}'`,
        ...perRun.map((from) => `SELECT node_id, unnest(reply_ms) AS ms ${from} AND node_id IS NOT NULL AND reply_ms <> '{}'`),
      )}
    ) x
    GROUP BY node_id`;
  const [traffic, facts, replies] = await Promise.all([
    flowTraffic(db, q),
    withWorkMem(db, (c) => c.query(perNode, p.values)).then((r) => r.rows),
    withWorkMem(db, (c) => c.query(responses, p.values)).then((r) => r.rows),
  ]);
  const tokenPricing = q.rates.promptTokenCost !== null || q.rates.completionTokenCost !== null;
  const byId = new Map<string, NodeKpis>();
  const get = (id: string): NodeKpis => {
    let n = byId.get(id);
    if (!n) {
      const t = traffic.nodes.find((x) => x.nodeId === id) ?? {
        nodeId: id,
        type: null,
        runs: 0,
        visits: 0,
        exits: 0,
        completed: 0,
        dropped: 0,
        waiting: 0,
        ended: 0,
        dropOffRate: null,
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
