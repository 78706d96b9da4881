import { MigrationInterface, QueryRunner } from 'typeorm';

/** Flows with their drafts and immutable versions, the run index and the run events behind the KPIs. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE flows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
        draft jsonb NOT NULL,
        latest_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE flow_versions (
        flow_id uuid NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text,
        PRIMARY KEY (flow_id, version)
      )`);
    await q.query(`
      CREATE TABLE runs (
        run_id text PRIMARY KEY,
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        customer_id text,
        start_key text,
        status text NOT NULL,
        outcome text,
        current_node text,
        started_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX runs_flow_started ON runs (flow_id, started_at DESC)`);
    await q.query(`CREATE INDEX runs_customer ON runs (customer_id, started_at DESC)`);
    // At most one open run per flow and start key: the database backs the API's idempotent start.
    await q.query(`CREATE UNIQUE INDEX runs_open_key ON runs (flow_id, start_key) WHERE start_key IS NOT NULL AND closed_at IS NULL`);
    await q.query(`
      CREATE TABLE run_events (
        id bigserial PRIMARY KEY,
        run_id text NOT NULL,
        flow_id uuid NOT NULL,
        version integer NOT NULL,
        customer_id text,
        seq integer NOT NULL,
        type text NOT NULL,
        node_id text,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL
      )`);
    // (run_id, seq) makes a re-delivered batch a no-op: activities can retry safely.
    await q.query(`CREATE UNIQUE INDEX run_events_run_seq ON run_events (run_id, seq)`);
    await q.query(`CREATE INDEX run_events_flow_time ON run_events (flow_id, occurred_at)`);
    await q.query(`CREATE INDEX run_events_type_time ON run_events (type, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE run_events`);
    await q.query(`DROP TABLE runs`);
    await q.query(`DROP TABLE flow_versions`);
    await q.query(`DROP TABLE flows`);
  }
}
