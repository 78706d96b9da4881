import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faster KPI queries (libs/kpis/rollups.ts): the 30-day queries read one row per flow, version and
 * UTC day instead of one per run, and the per-node ones stop reading the raw events.
 *
 * - `kpi_daily`: per (flow, version, day of the run's start) the sums of `kpi_run_facts`, plus what
 *   percentiles and first-contact resolution need to stay exact (every response time, every time to
 *   resolution, the sorted gaps to the customer's next run). Measured on the 1,000,000-event
 *   benchmark: 43,000 fact rows and 78,000 unnested response times became ~1,750 rows for 30 days.
 * - `kpi_node_facts`: per run and node, what the node did (visits, branches taken, where the run
 *   stopped, AI usage, CSAT, escalations, goals, the response times of its replies), kept with the
 *   run facts; `kpi_node_daily` and `kpi_edge_daily` are its daily sums per node and per branch.
 * - `kpi_dirty_days`: the days whose rollups no longer match the facts; queries read those from the
 *   per-run rows until the refresh rolls them up. Statement triggers on `kpi_run_facts` mark the old
 *   and the new day of every row written or deleted, so a late event, a run that moves to another
 *   version or day, or a recontact that changes an older run's first-contact gap all reach the
 *   rollup, whoever wrote the facts.
 * - An index on the finish time of runs with a customer: the first-contact answers that depend on
 *   "now" are counted from the facts (runs finished within the window before now).
 *
 * Every run is marked dirty once, so the first refresh builds the node facts and, through the
 * triggers, marks every day; the days are rolled up by the first refresh after they settle (until
 * then queries read them from the per-run rows, as before this migration).
 */
export class KpiQuerySpeed1764400000000 implements MigrationInterface {
  name = 'KpiQuerySpeed1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kpi_daily (
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        day date NOT NULL,
        runs integer NOT NULL,
        finished integer NOT NULL,
        escalated integer NOT NULL,
        human integer NOT NULL,
        ai_resolved integer NOT NULL,
        converted integer NOT NULL,
        human_minutes double precision NOT NULL,
        prompt_tokens double precision NOT NULL,
        completion_tokens double precision NOT NULL,
        reported_cost double precision NOT NULL,
        csat_sum double precision NOT NULL,
        csat_n integer NOT NULL,
        csat_top integer NOT NULL,
        unanswered integer NOT NULL,
        fcr_settled integer NOT NULL,
        resolved integer NOT NULL,
        fcr_gaps_us bigint[] NOT NULL,
        ttr_s double precision[] NOT NULL,
        response_ms double precision[] NOT NULL,
        outcomes jsonb NOT NULL,
        goal_runs jsonb NOT NULL,
        goal_value jsonb NOT NULL,
        PRIMARY KEY (day, flow_id, version)
      )`);
    await q.query(`CREATE INDEX kpi_daily_flow ON kpi_daily (flow_id, day)`);

    // node_id may be NULL (an event without a node still counts for traffic), hence no primary keys:
    // the rows are only ever replaced as a whole, per run or per day.
    await q.query(`
      CREATE TABLE kpi_node_facts (
        run_id text NOT NULL,
        node_id text,
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        started_at timestamptz,
        finished boolean NOT NULL,
        node_type text,
        visits integer NOT NULL,
        exits jsonb NOT NULL,
        exits_end integer NOT NULL,
        stopped boolean NOT NULL,
        ai_calls integer NOT NULL,
        prompt_tokens double precision NOT NULL,
        completion_tokens double precision NOT NULL,
        reported_cost double precision NOT NULL,
        csat_n integer NOT NULL,
        csat_sum double precision NOT NULL,
        csat_top integer NOT NULL,
        escalated boolean NOT NULL,
        accepted integer NOT NULL,
        human_minutes double precision NOT NULL,
        goal boolean NOT NULL,
        goal_value double precision NOT NULL,
        reply_ms double precision[] NOT NULL
      )`);
    await q.query(`CREATE INDEX kpi_node_facts_run ON kpi_node_facts (run_id)`);
    await q.query(`CREATE INDEX kpi_node_facts_flow_started ON kpi_node_facts (flow_id, started_at)`);
    await q.query(`
      CREATE TABLE kpi_node_daily (
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        day date NOT NULL,
        node_id text,
        node_type text,
        runs integer NOT NULL,
        visits integer NOT NULL,
        stopped_waiting integer NOT NULL,
        stopped_ended integer NOT NULL,
        ai_calls integer NOT NULL,
        prompt_tokens double precision NOT NULL,
        completion_tokens double precision NOT NULL,
        reported_cost double precision NOT NULL,
        csat_n integer NOT NULL,
        csat_sum double precision NOT NULL,
        csat_top integer NOT NULL,
        escalated_runs integer NOT NULL,
        accepted integer NOT NULL,
        human_minutes double precision NOT NULL,
        goal_runs integer NOT NULL,
        goal_value double precision NOT NULL,
        reply_ms double precision[] NOT NULL
      )`);
    await q.query(`CREATE INDEX kpi_node_daily_key ON kpi_node_daily (flow_id, day, version)`);
    // branch NULL: the node was left without a branch (an end node).
    await q.query(`
      CREATE TABLE kpi_edge_daily (
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        day date NOT NULL,
        node_id text,
        branch text,
        runs integer NOT NULL,
        transitions integer NOT NULL
      )`);
    await q.query(`CREATE INDEX kpi_edge_daily_key ON kpi_edge_daily (flow_id, day, version)`);

    await q.query(`
      CREATE TABLE kpi_dirty_days (
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        day date NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, version, day)
      )`);
    // DO UPDATE, not DO NOTHING: a mark that meets a day being rolled up (locked by the refresher)
    // waits for it and lands again after it, so a change committed meanwhile is never lost. Ordered,
    // so concurrent writers lock the day rows in one order.
    await q.query(`
      CREATE FUNCTION kpi_mark_days_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO kpi_dirty_days (flow_id, version, day)
          SELECT DISTINCT flow_id, version, (started_at AT TIME ZONE 'UTC')::date FROM new_facts
          WHERE started_at IS NOT NULL ORDER BY 1, 2, 3
          ON CONFLICT (flow_id, version, day) DO UPDATE SET marked_at = now();
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO kpi_dirty_days (flow_id, version, day)
          SELECT DISTINCT flow_id, version, (started_at AT TIME ZONE 'UTC')::date
          FROM (SELECT flow_id, version, started_at FROM old_facts UNION ALL SELECT flow_id, version, started_at FROM new_facts) f
          WHERE started_at IS NOT NULL ORDER BY 1, 2, 3
          ON CONFLICT (flow_id, version, day) DO UPDATE SET marked_at = now();
        ELSE
          INSERT INTO kpi_dirty_days (flow_id, version, day)
          SELECT DISTINCT flow_id, version, (started_at AT TIME ZONE 'UTC')::date FROM old_facts
          WHERE started_at IS NOT NULL ORDER BY 1, 2, 3
          ON CONFLICT (flow_id, version, day) DO UPDATE SET marked_at = now();
        END IF;
        RETURN NULL;
      END $$`);
    // Transition tables allow one event per trigger, hence three.
    await q.query(`
      CREATE TRIGGER kpi_run_facts_days_insert AFTER INSERT ON kpi_run_facts
      REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_days_dirty()`);
    await q.query(`
      CREATE TRIGGER kpi_run_facts_days_update AFTER UPDATE ON kpi_run_facts
      REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_days_dirty()`);
    await q.query(`
      CREATE TRIGGER kpi_run_facts_days_delete AFTER DELETE ON kpi_run_facts
      REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_days_dirty()`);

    // First-contact resolution still open at "now": runs of a customer finished within the window before now.
    await q.query(`CREATE INDEX kpi_run_facts_finished ON kpi_run_facts (finished_at) WHERE customer_id IS NOT NULL`);

    // The node facts of every run recorded so far, and with them every daily row, at the first refresh.
    await q.query(`INSERT INTO kpi_dirty_runs (run_id) SELECT run_id FROM kpi_run_facts ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX kpi_run_facts_finished`);
    await q.query(`DROP TRIGGER kpi_run_facts_days_delete ON kpi_run_facts`);
    await q.query(`DROP TRIGGER kpi_run_facts_days_update ON kpi_run_facts`);
    await q.query(`DROP TRIGGER kpi_run_facts_days_insert ON kpi_run_facts`);
    await q.query(`DROP FUNCTION kpi_mark_days_dirty()`);
    await q.query(`DROP TABLE kpi_dirty_days`);
    await q.query(`DROP TABLE kpi_edge_daily`);
    await q.query(`DROP TABLE kpi_node_daily`);
    await q.query(`DROP TABLE kpi_node_facts`);
    await q.query(`DROP TABLE kpi_daily`);
  }
}
