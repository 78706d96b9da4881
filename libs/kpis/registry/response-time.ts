import { count, derived, kpi } from './define';

/** Customer message to first reply, per customer turn (one or more messages in a row, then a reply). */
export const responseTimeKpis = {
  turns: kpi({ id: 'responseTurns', description: 'customer turns answered', unit: 'turns', csv: 'response_turns', ...derived([], (s) => s.response.answered) }),
  unanswered: kpi({
    id: 'responseUnanswered',
    description: 'customer turns with no reply (yet)',
    unit: 'turns',
    csv: 'response_unanswered',
    ...count('unanswered'),
  }),
  p50Ms: kpi({
    id: 'responseTimeP50Ms',
    description: 'median response time (ms)',
    unit: 'ms',
    nullable: true,
    csv: 'response_p50_ms',
    alert: { sample: 'responseTurns' },
    ...derived([], (s) => s.response.p50),
  }),
  p95Ms: kpi({
    id: 'responseTimeP95Ms',
    description: '95th percentile response time (ms)',
    unit: 'ms',
    nullable: true,
    csv: 'response_p95_ms',
    alert: { sample: 'responseTurns' },
    ...derived([], (s) => s.response.p95),
  }),
  avgMs: kpi({
    id: 'responseTimeAvgMs',
    description: 'mean response time (ms)',
    unit: 'ms',
    nullable: true,
    csv: 'response_avg_ms',
    ...derived([], (s) => s.response.avg),
  }),
};
