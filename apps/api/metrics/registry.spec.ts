import { Registry } from './registry';

describe('Prometheus registry', () => {
  it('renders counters with labels, escaping label values', () => {
    const r = new Registry();
    const c = r.counter('cauce_things_total', 'Things done\nso far', ['kind']);
    c.inc({ kind: 'a' });
    c.inc({ kind: 'a' }, 2);
    c.inc({ kind: 'say "hi"\\' });
    expect(r.render()).toBe(
      [
        '# HELP cauce_things_total Things done\\nso far',
        '# TYPE cauce_things_total counter',
        'cauce_things_total{kind="a"} 3',
        'cauce_things_total{kind="say \\"hi\\"\\\\"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const r = new Registry();
    const h = r.histogram('cauce_latency_seconds', 'Latency', ['route'], [0.1, 0.5, 1]);
    for (const v of [0.05, 0.2, 0.3, 0.7, 3]) h.observe({ route: '/x' }, v);
    expect(r.render().split('\n')).toEqual([
      '# HELP cauce_latency_seconds Latency',
      '# TYPE cauce_latency_seconds histogram',
      'cauce_latency_seconds_bucket{route="/x",le="0.1"} 1',
      'cauce_latency_seconds_bucket{route="/x",le="0.5"} 3',
      'cauce_latency_seconds_bucket{route="/x",le="1"} 4',
      'cauce_latency_seconds_bucket{route="/x",le="+Inf"} 5',
      'cauce_latency_seconds_sum{route="/x"} 4.25',
      'cauce_latency_seconds_count{route="/x"} 5',
      '',
    ]);
  });

  it('renders label-less metrics and gauges, and times async work', async () => {
    const r = new Registry();
    r.counter('cauce_plain_total', 'Plain').inc();
    r.gauge('cauce_level', 'Level', ['x']).set({ x: '1' }, 2.5);
    const h = r.histogram('cauce_t_seconds', 'T', [], [10]);
    await h.time({}, async () => 1);
    const text = r.render();
    expect(text).toContain('cauce_plain_total 1\n');
    expect(text).toContain('cauce_level{x="1"} 2.5\n');
    expect(text).toContain('cauce_t_seconds_bucket{le="10"} 1\n');
  });

  it('refuses bad names, missing labels, duplicates and decreasing counters', () => {
    const r = new Registry();
    expect(() => r.counter('bad-name', 'x')).toThrow('invalid metric name');
    expect(() => r.histogram('h', 'x', ['le'], [1])).toThrow('invalid label name');
    const c = r.counter('ok_total', 'x', ['a']);
    expect(() => c.inc({})).toThrow('needs label a');
    expect(() => c.inc({ a: '1' }, -1)).toThrow('cannot decrease');
    expect(() => r.counter('ok_total', 'x')).toThrow('already registered');
  });
});
