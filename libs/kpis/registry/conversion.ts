import { ratio } from '../sql';
import { count, derived, kpi, share } from './define';

/** Finished runs that recorded a goal (goal nodes), overall and per goal. */
export const conversionKpis = {
  converted: kpi({ id: 'converted', description: 'finished runs with at least one goal', unit: 'runs', csv: 'converted', ...count('converted') }),
  rate: kpi({
    id: 'conversionRate',
    description: 'share of finished runs with a goal (0-1)',
    unit: 'ratio',
    csv: 'conversion_rate',
    alert: { sample: 'finished' },
    ...share('converted', 'finished'),
  }),
  value: kpi({
    id: 'conversionValue',
    description: 'sum of every goal’s value',
    unit: 'value',
    csv: 'conversion_value',
    ...derived([], (s) => s.goals.reduce((t, g) => t + g.value, 0)),
  }),
  // The CSV has a column per goal (csv.ts), not this list.
  perGoal: kpi({
    id: 'conversionPerGoal',
    description: 'per goal: finished runs that recorded it, their share, the sum of its value',
    unit: 'runs',
    ...derived(['finished'], (s) =>
      s.goals.map((g) => ({ goal: g.goal, runs: g.runs, rate: ratio(g.runs, s.m.finished), value: g.value })).sort((x, y) => x.goal.localeCompare(y.goal)),
    ),
  }),
};
