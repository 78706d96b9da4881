/**
 * The KPI API's answers (apps/api/kpis: `GET /api/kpis`, `/flows/:id/experiments`,
 * `/flows/:id/traffic`) turned into what the dashboard renders. A report about no runs is "no data
 * yet" (null or []): the dashboard then says so. Nothing here makes a number up.
 */
import type { ApiExperimentReport, ApiKpiReport, ApiKpiValues, ApiTrafficReport, ExperimentResult, KpiKey, KpiReport, TrafficReport } from './types';

function values(v: ApiKpiValues): Partial<Record<KpiKey, number | null>> {
  return {
    responseTimeP50Ms: v.responseTime?.p50Ms ?? null,
    responseTimeP95Ms: v.responseTime?.p95Ms ?? null,
    escalationRate: v.escalation?.rate ?? null,
    aiResolutionRate: v.aiResolution?.rate ?? null,
    fcrRate: v.fcr?.rate ?? null,
    csat: v.csat?.average ?? null,
    abandonmentRate: v.abandonment?.rate ?? null,
    conversionRate: v.conversion?.rate ?? null,
    timeToResolutionP50Ms: v.timeToResolution?.p50Seconds == null ? null : v.timeToResolution.p50Seconds * 1000,
    costPerInteractionUsd: v.cost?.perInteractionUsd ?? null,
    roi: v.roi?.roi ?? null,
  };
}

export function normaliseKpis(body: ApiKpiReport | null | undefined): KpiReport | null {
  if (!body?.totals || !body.totals.runs) return null;
  const t = body.totals;
  return {
    runs: t.runs,
    values: values(t),
    counts: { csatResponses: t.csat?.responses ?? 0, escalated: t.escalation?.escalated ?? 0, converted: t.conversion?.converted ?? 0 },
    outcomes: t.outcomes ?? {},
    series: (body.groups ?? []).filter((g) => g.period).map((g) => ({ at: g.period as string, runs: g.runs, values: values(g) })),
  };
}

export function normaliseExperiments(body: ApiExperimentReport | null | undefined): ExperimentResult[] {
  return (body?.experiments ?? [])
    .filter((e) => e.exposures > 0)
    .map((e) => ({
      experiment: e.experiment,
      nodeId: e.nodeId,
      goal: e.goal,
      control: e.control,
      status: e.status,
      winner: e.winner,
      minSample: e.minSample,
      correction: e.correction,
      comparisons: e.comparisons,
      ciLevel: e.ciLevel,
      variants: e.variants.map((v) => ({
        id: v.id,
        isControl: v.isControl,
        exposures: v.exposures,
        conversions: v.conversions,
        rate: v.rate,
        lift: v.vsControl?.lift ?? null,
        pValue: v.vsControl?.pValue ?? null,
        pValueAdjusted: v.vsControl ? (v.vsControl.pValueAdjusted ?? v.vsControl.pValue) : null,
        interval: v.vsControl && v.vsControl.ciLow !== null && v.vsControl.ciHigh !== null ? [v.vsControl.ciLow, v.vsControl.ciHigh] : null,
        probabilityBest: Number.isFinite(v.probabilityBest) ? v.probabilityBest : null,
        significant: v.vsControl?.significant ?? false,
      })),
    }));
}

export function normaliseTraffic(body: ApiTrafficReport | null | undefined): TrafficReport | null {
  if (!body || !body.runs) return null;
  return {
    runs: body.runs,
    edges: (body.edges ?? []).map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, count: e.runs, share: e.share })),
    nodes: (body.nodes ?? []).map((n) => ({ nodeId: n.nodeId, entered: n.runs, dropOff: n.dropped, dropOffRate: n.dropOffRate })),
  };
}
