/** API-shaped KPI answers for tests (apps/api/kpis/dto). */
import type { ApiExperimentReport, ApiKpiReport, ApiKpiValues, ApiTrafficReport } from '../api/types';

export function kpiValues(over: Partial<ApiKpiValues> = {}): ApiKpiValues {
  return {
    runs: 0,
    finished: 0,
    open: 0,
    outcomes: {},
    responseTime: { turns: 0, unanswered: 0, p50Ms: null, p95Ms: null, avgMs: null },
    escalation: { escalated: 0, humanHandled: 0, rate: null },
    aiResolution: { resolved: 0, rate: null },
    fcr: { windowHours: 72, eligible: 0, firstContact: 0, pending: 0, rate: null },
    csat: { responses: 0, average: null, topShare: null },
    abandonment: { abandoned: 0, rate: null },
    failures: { failed: 0, rate: null },
    timeToResolution: { resolved: 0, p50Seconds: null, p95Seconds: null, avgSeconds: null },
    conversion: { converted: 0, rate: null, value: 0, perGoal: [] },
    cost: { promptTokens: 0, completionTokens: 0, llmUsd: 0, humanMinutes: 0, humanUsd: 0, totalUsd: 0, perInteractionUsd: null },
    roi: { baselineUsd: 0, savingsUsd: 0, roi: null },
    ...over,
  };
}

/** The rates the API computed the costs with (the defaults of an unconfigured install). */
const rates: ApiKpiReport['rates'] = { humanMinuteCost: 0.5, baselineCostPerContact: 5, fcrWindowHours: 72, promptTokenCost: null, completionTokenCost: null };

export function kpiReport(totals: ApiKpiValues, groups: ApiKpiReport['groups'] = []): ApiKpiReport {
  return {
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    flowIds: null,
    version: null,
    groupBy: null,
    interval: groups.length ? 'day' : null,
    rates,
    totals,
    groups,
  };
}

export const busyTotals = kpiValues({
  runs: 240,
  finished: 230,
  open: 10,
  outcomes: { resolved: 150, escalated: 30, abandoned: 50 },
  responseTime: { turns: 900, unanswered: 2, p50Ms: 850, p95Ms: 2100, avgMs: 1000 },
  escalation: { escalated: 30, humanHandled: 30, rate: 0.125 },
  aiResolution: { resolved: 150, rate: 0.6 },
  csat: { responses: 80, average: 4.2, topShare: 0.7 },
  conversion: { converted: 19, rate: 0.08, value: 1900, perGoal: [] },
  timeToResolution: { resolved: 180, p50Seconds: 300, p95Seconds: 1800, avgSeconds: 600 },
});

export function experimentReport(flowId: string): ApiExperimentReport {
  return {
    flowId,
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    experiments: [
      {
        experiment: 'copy',
        nodeId: 'split',
        adaptive: false,
        control: 'A',
        goal: 'purchase',
        minSample: 100,
        alpha: 0.05,
        comparisons: 1,
        correction: 'none',
        ciLevel: 0.95,
        exposures: 240,
        conversions: 20,
        status: 'no_significant_difference',
        winner: null,
        variants: [
          { id: 'A', weight: 50, exposures: 120, conversions: 8, rate: 0.0667, isControl: true, probabilityBest: 0.18, vsControl: null },
          {
            id: 'B',
            weight: 50,
            exposures: 120,
            conversions: 12,
            rate: 0.1,
            isControl: false,
            probabilityBest: 0.82,
            vsControl: { difference: 0.0333, lift: 0.5, ciLow: -0.035, ciHigh: 0.102, z: 0.93, pValue: 0.35, pValueAdjusted: 0.35, significant: false },
          },
        ],
      },
    ],
  };
}

/** Three variants (two comparisons with the control): B is below 0.05 alone, not after Holm's adjustment. */
export function threeVariantExperimentReport(flowId: string): ApiExperimentReport {
  return {
    flowId,
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    experiments: [
      {
        experiment: 'subject',
        nodeId: 'split3',
        adaptive: false,
        control: 'A',
        goal: null,
        minSample: 100,
        alpha: 0.05,
        comparisons: 2,
        correction: 'holm',
        ciLevel: 0.975,
        exposures: 3000,
        conversions: 330,
        status: 'no_significant_difference',
        winner: null,
        variants: [
          { id: 'A', weight: 1, exposures: 1000, conversions: 100, rate: 0.1, isControl: true, probabilityBest: 0.01, vsControl: null },
          {
            id: 'B',
            weight: 1,
            exposures: 1000,
            conversions: 130,
            rate: 0.13,
            isControl: false,
            probabilityBest: 0.98,
            vsControl: { difference: 0.03, lift: 0.3, ciLow: -0.0019, ciHigh: 0.0619, z: 2.1027, pValue: 0.0355, pValueAdjusted: 0.071, significant: false },
          },
          {
            id: 'C',
            weight: 1,
            exposures: 1000,
            conversions: 100,
            rate: 0.1,
            isControl: false,
            probabilityBest: 0.01,
            vsControl: { difference: 0, lift: 0, ciLow: -0.0301, ciHigh: 0.0301, z: 0, pValue: 1, pValueAdjusted: 1, significant: false },
          },
        ],
      },
    ],
  };
}

export function trafficReport(flowId: string): ApiTrafficReport {
  return {
    flowId,
    definitionVersion: 1,
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    runs: 240,
    nodes: [{ nodeId: 'split', type: 'abSplit', runs: 240, visits: 240, exits: 240, completed: 240, dropped: 0, waiting: 0, ended: 0, dropOffRate: 0 }],
    edges: [{ id: 'e2', source: 'split', sourceHandle: 'A', target: 'end', runs: 120, transitions: 120, share: 0.5 }],
  };
}
