import { wholeDays, windowSources } from './rollups';
import { Params } from './sql';

const at = (iso: string) => new Date(iso);

describe('wholeDays', () => {
  it('gives the UTC days entirely inside the window, end exclusive', () => {
    expect(wholeDays(at('2026-01-10T00:00:00Z'), at('2026-01-13T00:00:00Z'))).toEqual({ first: '2026-01-10', end: '2026-01-13' });
    // 30 days back from an afternoon: the partial first and last days are left to the per-run rows.
    expect(wholeDays(at('2026-01-01T16:26:24.474Z'), at('2026-01-31T16:26:24.474Z'))).toEqual({ first: '2026-01-02', end: '2026-01-31' });
    expect(wholeDays(at('2026-01-10T00:00:00Z'), at('2026-01-11T00:00:00Z'))).toEqual({ first: '2026-01-10', end: '2026-01-11' });
  });

  it('gives none when no day fits', () => {
    expect(wholeDays(at('2026-01-10T00:00:00.001Z'), at('2026-01-11T00:00:00Z'))).toBeNull();
    expect(wholeDays(at('2026-01-10T22:00:00Z'), at('2026-01-11T02:00:00Z'))).toBeNull();
    expect(wholeDays(at('2026-01-10T01:00:00Z'), at('2026-01-10T02:00:00Z'))).toBeNull();
  });
});

describe('windowSources', () => {
  const flow = (prefix: string) => ` AND ${prefix}flow_id = 'f'`;

  it('reads whole days from the daily table, except dirty ones, and the rest from the per-run table', () => {
    const p = new Params();
    const w = windowSources(p, at('2026-01-01T12:00:00Z'), at('2026-01-04T06:00:00Z'), flow);
    expect(p.values).toEqual([at('2026-01-01T12:00:00Z'), at('2026-01-04T06:00:00Z'), '2026-01-02', '2026-01-04']);
    const daily = w.daily('kpi_daily')!;
    expect(daily).toContain('d.day >= $3::date AND d.day < $4::date');
    expect(daily).toContain(`d.flow_id = 'f'`);
    expect(daily).toContain('NOT EXISTS (SELECT 1 FROM kpi_dirty_days');
    const [edges, dirty] = w.perRun('kpi_run_facts');
    expect(edges).toContain('started_at >= $1 AND started_at < $3::date');
    expect(edges).toContain('started_at >= $4::date');
    expect(edges).toContain('started_at < $2');
    // Dirty whole days come from the per-run rows, under the per-run table's name.
    expect(dirty).toContain('FROM kpi_dirty_days k');
    expect(dirty).toContain(`k.flow_id = 'f'`);
    expect(dirty).toMatch(/\) AS kpi_run_facts WHERE true$/);
  });

  it('reads only the per-run rows without a whole day, or for an hourly breakdown', () => {
    for (const [from, to, hourly] of [
      ['2026-01-01T12:00:00Z', '2026-01-02T06:00:00Z', false],
      ['2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', true],
    ] as const) {
      const p = new Params();
      const w = windowSources(p, at(from), at(to), flow, hourly);
      expect(w.daily('kpi_daily')).toBeNull();
      expect(w.perRun('kpi_node_facts')).toEqual([`FROM kpi_node_facts WHERE started_at >= $1 AND started_at < $2 AND flow_id = 'f'`]);
    }
  });
});
