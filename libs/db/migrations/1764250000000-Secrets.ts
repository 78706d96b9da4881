import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored secrets (API tokens, provider credentials), encrypted at rest with AES-256-GCM under
 * SECRETS_KEY by activities/secrets: the ciphertext, its 96-bit IV and its 128-bit GCM tag. The
 * secret's name is the additional authenticated data, so rows cannot be swapped. Values are never
 * stored in clear, and `updated_by` records who last set one.
 */
export class Secrets1764250000000 implements MigrationInterface {
  name = 'Secrets1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE secrets (
        name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,120}$'),
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL CHECK (octet_length(iv) = 12),
        tag bytea NOT NULL CHECK (octet_length(tag) = 16),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);
    await q.query(`CREATE TRIGGER secrets_touch BEFORE UPDATE ON secrets FOR EACH ROW EXECUTE FUNCTION cauce_touch_updated_at()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE secrets`);
  }
}
