import type { KpiDb } from './sql';

/**
 * How fresh a KPI report is, read without writing: the runs with events stored since the facts were
 * last refreshed (`kpi_dirty_runs`, marked by a trigger on every event batch; see facts.ts). Those
 * events are not in the report until the worker's refresh (upkeep/kpi-facts, every few seconds) or
 * the refresh command (`POST /api/kpis/refresh`) has run. Only the flows in scope are counted, so a
 * key limited to some flows learns nothing about the others.
 */
export async function pendingRuns(db: KpiDb, flowIds: string[] | null): Promise<number> {
  if (flowIds !== null && flowIds.length === 0) return 0;
  const { rows } =
    flowIds === null
      ? await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kpi_dirty_runs`)
      : // A run's flow is on each of its events; its first one is found through the (run_id, seq) key.
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM kpi_dirty_runs d
            WHERE (SELECT e.flow_id FROM run_events e WHERE e.run_id = d.run_id ORDER BY e.seq LIMIT 1) = ANY($1::uuid[])`,
          [flowIds],
        );
  return rows[0]?.n ?? 0;
}
