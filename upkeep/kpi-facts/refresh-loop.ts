import type { Pool } from 'pg';
import { refreshRunFacts, type RefreshResult } from '../../libs/kpis/facts';

/**
 * The KPI facts refresh: keeps `kpi_run_facts`, the node facts and the daily rollups current with the
 * run events, so the KPI reads (`GET /api/kpis`, traffic, per node) only read. A supervised loop in the
 * worker process rather than a Temporal Schedule like the other upkeep jobs: it runs every few
 * seconds, and a schedule that often would start 17,280 workflows a day (each with its history,
 * activity task and visibility row) to run what is, when nothing changed, two index probes. The
 * work is safe to run from several workers at once: refreshers take turns on an advisory lock and
 * skip runs another one holds (facts.ts).
 */

/** Batches (of 1,000 runs) per pass: a backlog is worked off in passes back to back, and stopping never waits long. */
export const MAX_BATCHES_PER_PASS = 20;
/** The longest wait between passes while they keep failing (PostgreSQL down). */
export const MAX_BACKOFF_MS = 60_000;

export interface KpiFactsRefreshOptions {
  pool: Pool;
  /** Between two passes (CAUCE_KPI_REFRESH_INTERVAL). */
  intervalMs: number;
  /** One pass; default `refreshRunFacts` over at most MAX_BATCHES_PER_PASS batches. */
  refresh?: () => Promise<RefreshResult>;
  log?: (line: string) => void;
}

export interface KpiFactsRefresh {
  /** Passes finished, failed ones included (for tests and diagnostics). */
  readonly passes: number;
  /** Stops the loop and waits for a pass under way. */
  stop(): Promise<void>;
}

/** Starts the loop: a first pass at once (a backlog after a migration or a stop), then one every interval. Never throws. */
export function startKpiFactsRefresh(options: KpiFactsRefreshOptions): KpiFactsRefresh {
  const log = options.log ?? ((line: string) => console.log(line));
  const refresh = options.refresh ?? (() => refreshRunFacts(options.pool, { maxBatches: MAX_BATCHES_PER_PASS }));
  let passes = 0;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => (running = undefined));
    }, ms);
    // The worker's life is its Temporal polling; this loop must not keep a stopping process up.
    timer.unref();
  };

  async function pass(): Promise<void> {
    let next = options.intervalMs;
    try {
      const result = await refresh();
      if (failures > 0) log(`[kpis] facts refresh works again after ${failures} failed pass(es)`);
      failures = 0;
      // A pass that hit its batch limit left runs behind: go on at once.
      if (result.batches >= MAX_BATCHES_PER_PASS) next = 0;
      if (result.ms > 1000) log(`[kpis] facts of ${result.runs} runs and ${result.days} days refreshed in ${Math.round(result.ms)} ms`);
    } catch (err) {
      failures++;
      // Said once per streak: a database that is down would otherwise fill the log every few seconds.
      if (failures === 1) log(`[kpis] facts refresh failed, retrying with backoff: ${(err as Error)?.message ?? err}`);
      next = Math.min(options.intervalMs * 2 ** failures, MAX_BACKOFF_MS);
    } finally {
      passes++;
    }
    schedule(next);
  }

  schedule(0);
  return {
    get passes() {
      return passes;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
