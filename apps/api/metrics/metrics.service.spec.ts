import { LATENCY_BUCKETS, MetricsService, PROMETHEUS_CONTENT_TYPE } from './metrics.service';

/** The lines of the exposition text that describe or sample metric `name` (HELP, TYPE and its series). */
function linesOf(text: string, name: string): string[] {
  const metricOf = (line: string) => (line.startsWith('#') ? line.split(' ')[2] : line.split(/[{ ]/)[0]);
  return text.split('\n').filter((line) => [name, `${name}_bucket`, `${name}_sum`, `${name}_count`].includes(metricOf(line)));
}

describe('API metrics (Prometheus exposition)', () => {
  it('renders the HTTP latency histogram by route pattern: cumulative buckets, +Inf, sum and count', async () => {
    const m = new MetricsService();
    for (const v of [0.003, 0.04, 0.2, 45]) m.httpDuration.observe({ method: 'GET', route: '/api/flows/:id', status: '200' }, v);
    const lines = linesOf(await m.render(), 'cauce_http_request_duration_seconds');
    const series = 'method="GET",route="/api/flows/:id",status="200"';
    expect(lines).toEqual([
      '# HELP cauce_http_request_duration_seconds HTTP request latency of the API, by method, route pattern and status code',
      '# TYPE cauce_http_request_duration_seconds histogram',
      // prom-client writes `le` first; label order means nothing to Prometheus.
      ...LATENCY_BUCKETS.map((b) => `cauce_http_request_duration_seconds_bucket{le="${b}",${series}} ${b < 0.04 ? 1 : b < 0.2 ? 2 : 3}`),
      `cauce_http_request_duration_seconds_bucket{le="+Inf",${series}} 4`,
      `cauce_http_request_duration_seconds_sum{${series}} 45.243`,
      `cauce_http_request_duration_seconds_count{${series}} 4`,
    ]);
  });

  it('renders counters with labels, escaping label values, and label-less counters from zero', async () => {
    const m = new MetricsService();
    m.runsStarted.inc({ trigger: 'api' });
    m.runsStarted.inc({ trigger: 'api' }, 2);
    m.eventsReceived.inc({ route: 'say "hi"\\\nthere' });
    const text = await m.render();
    expect(linesOf(text, 'cauce_runs_started_total')).toEqual([
      '# HELP cauce_runs_started_total Runs started through the API, by trigger (api, event, test)',
      '# TYPE cauce_runs_started_total counter',
      'cauce_runs_started_total{trigger="api"} 3',
    ]);
    expect(text).toContain('cauce_events_received_total{route="say \\"hi\\"\\\\\\nthere"} 1\n');
    expect(text).toContain('# TYPE cauce_rate_limited_total counter\ncauce_rate_limited_total 0\n');
    m.rateLimited.inc();
    expect(await m.render()).toContain('\ncauce_rate_limited_total 1\n');
  });

  it('keeps the names and types dashboards query, the uptime, and the standard process metrics', async () => {
    const m = new MetricsService();
    const text = await m.render();
    const types = [...text.matchAll(/^# TYPE (cauce_\S+) (\S+)$/gm)].map(([, name, type]) => `${name} ${type}`);
    expect(types).toEqual([
      'cauce_http_request_duration_seconds histogram',
      'cauce_runs_started_total counter',
      'cauce_chat_turn_duration_seconds histogram',
      'cauce_events_received_total counter',
      'cauce_rate_limited_total counter',
      'cauce_api_uptime_seconds gauge',
    ]);
    expect(text).toMatch(/^cauce_api_uptime_seconds \d+(\.\d+)?$/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text.endsWith('\n')).toBe(true);
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('refuses a sample without its labels, and a counter going down', () => {
    const m = new MetricsService();
    expect(() => m.runsStarted.inc({ trigger: 'api' }, -1)).toThrow(/not possible to decrease/);
    expect(() => m.httpDuration.observe({ method: 'GET', route: '/x', nope: '1' } as never, 1)).toThrow(/label/i);
  });
});
