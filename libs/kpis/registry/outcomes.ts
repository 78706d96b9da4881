import { ratio } from '../sql';
import { derived, kpi, KpiSums } from './define';

const outcome = (name: string) => (s: KpiSums) => s.outcomes[name] ?? 0;

/** Finished runs that ended with outcome `abandoned`. */
export const abandonmentKpis = {
  abandoned: kpi({
    id: 'abandoned',
    description: 'finished runs with outcome abandoned',
    unit: 'runs',
    csv: 'abandoned',
    ...derived([], outcome('abandoned')),
  }),
  rate: kpi({
    id: 'abandonmentRate',
    description: 'share of finished runs abandoned (0-1)',
    unit: 'ratio',
    nullable: true,
    csv: 'abandonment_rate',
    alert: { sample: 'finished' },
    ...derived(['finished'], (s) => ratio(outcome('abandoned')(s), s.m.finished)),
  }),
};

/** Finished runs that ended with outcome `failed`. */
export const failureKpis = {
  failed: kpi({ id: 'failed', description: 'finished runs with outcome failed', unit: 'runs', csv: 'failed', ...derived([], outcome('failed')) }),
  rate: kpi({
    id: 'failureRate',
    description: 'share of finished runs that failed (0-1)',
    unit: 'ratio',
    nullable: true,
    csv: 'failure_rate',
    alert: { sample: 'finished' },
    ...derived(['finished'], (s) => ratio(outcome('failed')(s), s.m.finished)),
  }),
};
