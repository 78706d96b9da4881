import { count, derived, kpi } from './define';

/** From run.started to run.finished of the runs resolved (outcome `resolved`). */
export const timeToResolutionKpis = {
  resolved: kpi({ id: 'resolved', description: 'finished runs with outcome resolved', unit: 'runs', csv: 'resolved', ...count('resolved') }),
  p50Seconds: kpi({
    id: 'timeToResolutionP50Seconds',
    description: 'median time to resolution (s)',
    unit: 'seconds',
    nullable: true,
    csv: 'ttr_p50_s',
    alert: { sample: 'resolved' },
    ...derived([], (s) => s.ttr.p50),
  }),
  p95Seconds: kpi({
    id: 'timeToResolutionP95Seconds',
    description: '95th percentile time to resolution (s)',
    unit: 'seconds',
    nullable: true,
    csv: 'ttr_p95_s',
    ...derived([], (s) => s.ttr.p95),
  }),
  avgSeconds: kpi({
    id: 'timeToResolutionAvgSeconds',
    description: 'mean time to resolution (s)',
    unit: 'seconds',
    nullable: true,
    csv: 'ttr_avg_s',
    ...derived([], (s) => s.ttr.avg),
  }),
};
