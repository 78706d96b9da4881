import type { Pool } from 'pg';
import type { RefreshResult } from '../../libs/kpis/facts';
import { MAX_BATCHES_PER_PASS, startKpiFactsRefresh } from './refresh-loop';

const idle: RefreshResult = { runs: 0, batches: 0, days: 0, ms: 1 };
const pool = {} as Pool;

/** Resolves once `done()` holds, polling every few ms (the loop's own timers are real). */
async function until(done: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('KPI facts refresh loop', () => {
  it('runs a first pass at once, then one per interval, until stopped', async () => {
    let calls = 0;
    const loop = startKpiFactsRefresh({ pool, intervalMs: 20, refresh: async () => (calls++, idle), log: () => undefined });
    await until(() => calls >= 3);
    await loop.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(after);
    expect(loop.passes).toBe(after);
  });

  it('goes on at once while a backlog fills its passes', async () => {
    let calls = 0;
    const full: RefreshResult = { runs: 1000 * MAX_BATCHES_PER_PASS, batches: MAX_BATCHES_PER_PASS, days: 0, ms: 5 };
    // With an hour between passes, only the back-to-back rule can make a second and a third pass.
    const loop = startKpiFactsRefresh({ pool, intervalMs: 3_600_000, refresh: async () => (++calls < 3 ? full : idle), log: () => undefined });
    await until(() => calls >= 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(3);
    await loop.stop();
  });

  it('survives failures, says so once per streak and again when it recovers', async () => {
    const lines: string[] = [];
    let calls = 0;
    const loop = startKpiFactsRefresh({
      pool,
      intervalMs: 5,
      refresh: async () => {
        calls++;
        if (calls <= 3) throw new Error('connect ECONNREFUSED');
        return idle;
      },
      log: (line) => lines.push(line),
    });
    await until(() => calls >= 4);
    await loop.stop();
    expect(lines.filter((l) => l.includes('ECONNREFUSED'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('works again after 3 failed'))).toBe(true);
  });

  it('stop waits for the pass under way', async () => {
    let finished = false;
    let started = false;
    const loop = startKpiFactsRefresh({
      pool,
      intervalMs: 1000,
      refresh: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
        return idle;
      },
      log: () => undefined,
    });
    await until(() => started);
    await loop.stop();
    expect(finished).toBe(true);
  });
});
