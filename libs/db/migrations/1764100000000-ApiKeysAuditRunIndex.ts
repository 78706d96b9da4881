import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the API needs beyond the initial schema: API keys (stored hashed, with a role, an optional
 * flow scope and rate limit), the audit log of flow edits, publishes and key changes, and a few
 * columns on the run index (test runs of drafts, the trigger, who started it, how far the opening
 * replies were already returned by the start call).
 */
export class ApiKeysAuditRunIndex1764100000000 implements MigrationInterface {
  name = 'ApiKeysAuditRunIndex1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'operator', 'system')),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        flow_ids uuid[],
        rate_limit integer CHECK (rate_limit IS NULL OR rate_limit > 0),
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id DESC)`);

    await q.query(`ALTER TABLE runs ADD COLUMN test boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE runs ADD COLUMN trigger text`);
    await q.query(`ALTER TABLE runs ADD COLUMN started_by text`);
    await q.query(`ALTER TABLE runs ADD COLUMN replies_delivered_until timestamptz`);
    // POST /events reaches the open runs of a customer.
    await q.query(`CREATE INDEX runs_open_customer ON runs (customer_id) WHERE closed_at IS NULL AND customer_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX runs_open_customer`);
    await q.query(`ALTER TABLE runs DROP COLUMN replies_delivered_until, DROP COLUMN started_by, DROP COLUMN trigger, DROP COLUMN test`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE api_keys`);
  }
}
