// The worker's KPI facts refresh on the real PostgreSQL of the global setup: events stored after a
// report was read reach the next report without any reader refreshing (the reads never write).
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { DEFAULT_KPI_SETTINGS, resolveRates } from '../../libs/kpis/config';
import { computeKpis } from '../../libs/kpis/kpis';
import { SyntheticRuns } from '../../libs/kpis/synthetic-events';
import { startKpiFactsRefresh } from './refresh-loop';

const T0 = new Date('2026-03-05T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const rates = resolveRates(DEFAULT_KPI_SETTINGS);

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
});
afterAll(() => pool.end());

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('KPI facts refresh loop (PostgreSQL)', () => {
  it('brings events stored after a read into the next reports, with no reader refreshing', async () => {
    const F = randomUUID();
    const report = () => computeKpis(pool, { from: T0, to: at(86_400), flowIds: [F], rates });
    const loop = startKpiFactsRefresh({ pool, intervalMs: 200, log: () => undefined });
    try {
      await new SyntheticRuns(F)
        .run(`kf1-${F}`, { start: at(3600), customerId: 'a' }, [[60, 'run.finished', { status: 'completed', outcome: 'resolved' }]])
        .insert(pool);
      const first = await eventually(report, (r) => r.totals.runs === 1 && r.pendingRuns === 0);
      expect(first.totals).toMatchObject({ runs: 1, finished: 1, outcomes: { resolved: 1 } });
      expect(first.pendingRuns).toBe(0);

      // A second run, then an event of the first one: both reach the report.
      await new SyntheticRuns(F)
        .run(`kf2-${F}`, { start: at(7200), customerId: 'b' }, [[30, 'run.finished', { status: 'completed', outcome: 'abandoned' }]])
        .insert(pool);
      await pool.query(
        `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, data, occurred_at) VALUES ($1, $2, 1, 'a', 100, 'csat', '{"score": 4}', $3)`,
        [`kf1-${F}`, F, at(3700)],
      );
      const second = await eventually(report, (r) => r.totals.runs === 2 && r.totals.csat.responses === 1 && r.pendingRuns === 0);
      expect(second.totals).toMatchObject({ runs: 2, finished: 2, outcomes: { resolved: 1, abandoned: 1 }, csat: { responses: 1, average: 4 } });
      expect(loop.passes).toBeGreaterThan(0);
    } finally {
      await loop.stop();
    }
  }, 60_000);
});
