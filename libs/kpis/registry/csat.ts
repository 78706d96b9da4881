import { count, derived, kpi, share } from './define';

/** The 1-5 satisfaction survey (csat events) of every run of the cohort, finished or not. */
export const csatKpis = {
  responses: kpi({ id: 'csatResponses', description: 'CSAT answers', unit: 'answers', csv: 'csat_responses', ...count('csat_n') }),
  average: kpi({
    id: 'csatAverage',
    description: 'average CSAT score (1-5)',
    unit: 'score',
    nullable: true,
    csv: 'csat_average',
    alert: { sample: 'csatResponses' },
    ...derived(['csat_sum', 'csat_n'], (s) => (s.m.csat_n > 0 ? s.m.csat_sum / s.m.csat_n : null)),
  }),
  topShare: kpi({
    id: 'csatTopShare',
    description: 'share of CSAT 4s and 5s (0-1)',
    unit: 'ratio',
    csv: 'csat_top_share',
    alert: { sample: 'csatResponses' },
    ...share('csat_top', 'csat_n'),
  }),
};
