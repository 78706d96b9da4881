import { count, derived, kpi } from './define';

/** The cohort: runs started in the period, how many finished, and how. */
export const volumeKpis = {
  runs: kpi({ id: 'runs', description: 'runs started', unit: 'runs', csv: 'runs', alert: { sample: 'runs' }, ...count('runs') }),
  finished: kpi({
    id: 'finished',
    description: 'runs of the cohort that finished (run.finished), whenever',
    unit: 'runs',
    csv: 'finished',
    ...count('finished'),
  }),
  open: kpi({
    id: 'open',
    description: 'runs of the cohort still open (runs − finished)',
    unit: 'runs',
    csv: 'open',
    ...derived(['runs', 'finished'], (s) => s.m.runs - s.m.finished),
  }),
  outcomes: kpi({
    id: 'outcomes',
    description: 'finished runs per outcome (run.finished data.outcome)',
    unit: 'runs',
    ...derived([], (s) => Object.fromEntries(Object.entries(s.outcomes).sort(([x], [y]) => x.localeCompare(y)))),
  }),
};
