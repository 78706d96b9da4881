import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in CRM (customers and tickets), the notification outbox and the knowledge base:
 * the tables behind the crm.*, notify and ai.reply activities.
 */
export class CrmKnowledgeOutbox1763950000000 implements MigrationInterface {
  name = 'CrmKnowledgeOutbox1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    // Keeps updated_at honest whoever writes the row; the knowledge base's index refresh relies on it.
    await q.query(`
      CREATE FUNCTION cauce_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);

    // Customer ids come from the systems that start runs (shop, help desk), hence text.
    await q.query(`
      CREATE TABLE customers (
        id text PRIMARY KEY,
        email text,
        phone text,
        name text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One customer per email, whatever its case; any number without one.
    await q.query(`CREATE UNIQUE INDEX customers_email_key ON customers (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE INDEX customers_tags ON customers USING gin (tags)`);
    await q.query(`CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION cauce_touch_updated_at()`);

    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id text,
        subject text NOT NULL,
        description text,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        status text NOT NULL DEFAULT 'open',
        run_id text,
        idempotency_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tickets_customer ON tickets (customer_id, created_at DESC)`);
    await q.query(`CREATE INDEX tickets_status ON tickets (status, created_at DESC)`);
    await q.query(`CREATE TRIGGER tickets_touch BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION cauce_touch_updated_at()`);

    // Every notification lands here first; providers (when configured) deliver and mark it.
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id text,
        flow_id text,
        node_id text,
        idempotency_key text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('email', 'sms', 'slack', 'webhook', 'whatsapp')),
        recipient text NOT NULL,
        subject text,
        body text NOT NULL,
        purpose text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_status ON outbox (status, created_at)`);
    await q.query(`CREATE INDEX outbox_run ON outbox (run_id, created_at)`);
    await q.query(`CREATE TRIGGER outbox_touch BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION cauce_touch_updated_at()`);

    await q.query(`
      CREATE TABLE knowledge_articles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        collection text NOT NULL DEFAULT 'default',
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}',
        locale text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX knowledge_articles_collection ON knowledge_articles (collection)`);
    // max(updated_at), the index refresh's change check, reads one index entry.
    await q.query(`CREATE INDEX knowledge_articles_updated ON knowledge_articles (updated_at)`);
    await q.query(`CREATE TRIGGER knowledge_articles_touch BEFORE UPDATE ON knowledge_articles FOR EACH ROW EXECUTE FUNCTION cauce_touch_updated_at()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE knowledge_articles`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE tickets`);
    await q.query(`DROP TABLE customers`);
    await q.query(`DROP FUNCTION cauce_touch_updated_at()`);
  }
}
