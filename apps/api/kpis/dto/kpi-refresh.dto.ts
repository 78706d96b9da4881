/** What `POST /kpis/refresh` did: the KPI facts brought up to date with every run event stored so far. */
export class KpiRefreshDto {
  /**
   * Runs whose facts were recomputed (0: the facts were already current); for a key limited to some flows, only runs of those flows
   * @example 12
   */
  runs!: number;

  /**
   * Days of the daily rollups recomputed (those changed and then quiet for a minute)
   * @example 1
   */
  days!: number;

  /**
   * How long the refresh took (ms)
   * @example 35
   */
  ms!: number;
}
