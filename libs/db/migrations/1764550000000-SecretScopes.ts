import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each stored secret may be sent and who may use it (issue 11): `allowed_hosts` (host names,
 * `*.domain` wildcards, optional `:port`; see activities/secrets/host-patterns.ts), `flow_ids` (the
 * flows whose runs may use it; NULL: any) and `roles` (besides admin, who may publish or test-run a
 * flow referencing it; NULL: any role that may publish).
 *
 * Secrets stored before this migration get no allowed hosts: a flow can no longer send them anywhere
 * until an admin sets their hosts (`PATCH /api/secrets/:name`). Failing closed is the point: an
 * editor could send them to any host before.
 */
export class SecretScopes1764550000000 implements MigrationInterface {
  name = 'SecretScopes1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE secrets
        ADD COLUMN allowed_hosts text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_hosts) <= 50),
        ADD COLUMN flow_ids uuid[],
        ADD COLUMN roles text[] CHECK (roles <@ ARRAY['admin', 'editor']::text[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE secrets DROP COLUMN allowed_hosts, DROP COLUMN flow_ids, DROP COLUMN roles`);
  }
}
