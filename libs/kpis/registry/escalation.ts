import { count, kpi, share } from './define';

/** Runs that reached a human, and runs resolved without one. */
export const escalationKpis = {
  escalated: kpi({
    id: 'escalated',
    description: 'finished runs that reached an escalation ladder (escalation.tier)',
    unit: 'runs',
    csv: 'escalated',
    ...count('escalated'),
  }),
  humanHandled: kpi({
    id: 'humanHandled',
    description: 'finished runs in which an agent accepted (escalation.accepted)',
    unit: 'runs',
    csv: 'human_handled',
    ...count('human'),
  }),
  rate: kpi({
    id: 'escalationRate',
    description: 'share of finished runs that escalated (0-1)',
    unit: 'ratio',
    csv: 'escalation_rate',
    alert: { sample: 'finished' },
    ...share('escalated', 'finished'),
  }),
};

export const aiResolutionKpis = {
  resolved: kpi({
    id: 'aiResolved',
    description: 'finished runs with outcome resolved and no agent (escalation.accepted)',
    unit: 'runs',
    csv: 'ai_resolved',
    ...count('ai_resolved'),
  }),
  rate: kpi({
    id: 'aiResolutionRate',
    description: 'share of finished runs resolved without an agent (0-1)',
    unit: 'ratio',
    csv: 'ai_resolution_rate',
    alert: { sample: 'finished' },
    ...share('ai_resolved', 'finished'),
  }),
};
