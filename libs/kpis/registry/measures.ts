/**
 * The additive measures of one run (a `kpi_run_facts` row), summed per flow, version and day into
 * `kpi_daily` (rollups.ts) and per report group by the KPI query (report-sql.ts). A KPI is derived
 * from these sums (see define.ts); a new measure needs a migration adding its column to `kpi_daily`.
 */

/** An additive measure of one run: its name in kpi_daily, its value per run, its SQL type. */
export type RunMeasure = readonly [column: string, perRun: string, type: 'int' | 'float8'];

const fin = 'finished_at IS NOT NULL';
/** 1 when the condition holds, else 0 (never NULL). */
const flag = (cond: string) => `((${cond}) IS TRUE)::int`;

/**
 * Rates "about how runs ended" only count finished runs (see kpis.ts); the sums of kpi_daily are
 * these expressions summed over the day's runs.
 */
export const RUN_MEASURES = [
  ['runs', '1', 'int'],
  ['finished', flag(fin), 'int'],
  ['escalated', flag(`${fin} AND escalated`), 'int'],
  ['human', flag(`${fin} AND human`), 'int'],
  ['ai_resolved', flag(`outcome = 'resolved' AND NOT human`), 'int'],
  ['converted', flag(`${fin} AND goals <> '{}'::jsonb`), 'int'],
  ['human_minutes', `CASE WHEN ${fin} THEN human_minutes ELSE 0 END`, 'float8'],
  ['prompt_tokens', `CASE WHEN ${fin} THEN prompt_tokens ELSE 0 END`, 'float8'],
  ['completion_tokens', `CASE WHEN ${fin} THEN completion_tokens ELSE 0 END`, 'float8'],
  ['reported_cost', `CASE WHEN ${fin} THEN reported_cost ELSE 0 END`, 'float8'],
  ['csat_sum', 'csat_sum', 'float8'],
  ['csat_n', 'csat_n', 'int'],
  ['csat_top', 'csat_top', 'int'],
  ['unanswered', 'unanswered', 'int'],
  // First-contact resolution can be judged for finished runs of a known customer only.
  ['fcr_settled', flag(`customer_id IS NOT NULL AND ${fin}`), 'int'],
  ['resolved', flag(`outcome = 'resolved'`), 'int'],
] as const satisfies readonly RunMeasure[];

/**
 * The measures the report query adds per group beside RUN_MEASURES, for first-contact resolution:
 * settled runs the customer came back after within the window, and runs whose window is still open
 * (see report-sql.ts).
 */
export const FCR_MEASURES = ['fcr_recontact', 'fcr_pending'] as const;

/** Every sum a KPI can be derived from. */
export type MeasureName = (typeof RUN_MEASURES)[number][0] | (typeof FCR_MEASURES)[number];
