/**
 * `CAUCE_KPI_REFRESH_INTERVAL`: how often the worker brings the KPI facts up to date with the run
 * events stored since (upkeep/kpi-facts). The KPI reads never refresh (a GET does not write), so this
 * is how old the figures of a report can get; `POST /api/kpis/refresh` brings them up to date at once.
 * Checked by `loadConfig` in every process, so a bad value stops the start naming the variable.
 */
type Env = Record<string, string | undefined>;

export const DEFAULT_KPI_REFRESH_INTERVAL = '5s';

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** The interval in milliseconds (at least one second), or null for `off`. */
export function kpiRefreshIntervalMs(env: Env = process.env): number | null {
  const name = 'CAUCE_KPI_REFRESH_INTERVAL';
  const raw = env[name]?.trim() || DEFAULT_KPI_REFRESH_INTERVAL;
  if (/^(off|false|0|no|none)$/i.test(raw)) return null;
  const m = DURATION.exec(raw);
  if (!m) throw new Error(`Invalid configuration: ${name} must be a duration such as 5s or 1m, or off; got "${raw}"`);
  const ms = Number(m[1]) * UNIT_MS[m[2][0].toLowerCase()];
  if (ms < 1000) throw new Error(`Invalid configuration: ${name} must be at least 1s; got "${raw}"`);
  return ms;
}
