import type { Pool } from 'pg';

/**
 * The one module that writes the built-in CRM's `customers` table (and the reads that go with it):
 * the crm.* activities (activities/crm/pg-crm.ts: look up, merge a node's change) and the API's
 * customer routes (apps/api/customers: read, replace). Plain SQL over a `pg` Pool, like
 * libs/runs-index. Values arrive normalised (emails, phones, tags): normalising is the callers' job,
 * done the same way on both sides (activities/crm/validation.ts). A write that gives a customer an
 * email another one has fails with PostgreSQL's unique violation: `isDuplicateEmail` names it, and
 * each caller says it in its own words (a non-retryable activity failure, a 409).
 */
export type CustomersDb = Pick<Pool, 'query'>;

/** A `customers` row (every column). */
export interface CustomerRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown> | null;
  tags: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** A merge into a customer (the crm.update node): fields present are set, attributes merge, tags add and remove. */
export interface CustomerMerge {
  /** Present: set (null clears). Absent: unchanged. */
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  setAttributes: Record<string, unknown>;
  removeAttributes: string[];
  addTags: string[];
  removeTags: string[];
}

/** What a replace writes (PUT /customers/:id): every field. */
export interface CustomerFields {
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
}

const COLUMNS = 'id, name, email, phone, attributes, tags, created_at, updated_at';

/** Whether a write failed because the email (unique case-insensitively) belongs to another customer. */
export function isDuplicateEmail(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'customers_email_key';
}

export class CustomerRepository {
  constructor(private readonly db: CustomersDb) {}

  async get(id: string): Promise<CustomerRow | undefined> {
    const { rows } = await this.db.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The customer by id, email (case-insensitive) or phone: the most recently updated match. */
  async findBy(by: 'id' | 'email' | 'phone', value: string): Promise<CustomerRow | undefined> {
    const where = by === 'id' ? 'id = $1' : by === 'email' ? 'lower(email) = lower($1)' : 'phone = $1';
    const { rows } = await this.db.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE ${where} ORDER BY updated_at DESC LIMIT 1`, [value]);
    return rows[0];
  }

  /**
   * Applies a merge in one upsert statement, creating the customer if the id is unknown: attributes
   * merge (`||`, removals applied last), tags keep their first-seen order without duplicates.
   */
  async merge(id: string, change: CustomerMerge): Promise<CustomerRow> {
    const has = (k: 'email' | 'phone' | 'name') => Object.prototype.hasOwnProperty.call(change, k);
    const { rows } = await this.db.query<CustomerRow>(
      `INSERT INTO customers AS c (id, email, phone, name, attributes, tags)
       VALUES ($1, $2, $3, $4, $5::jsonb - $6::text[],
               ARRAY(SELECT t FROM unnest($7::text[]) WITH ORDINALITY AS u(t, i)
                     WHERE t <> ALL($8::text[]) GROUP BY t ORDER BY min(i)))
       ON CONFLICT (id) DO UPDATE SET
         email = CASE WHEN $9 THEN EXCLUDED.email ELSE c.email END,
         phone = CASE WHEN $10 THEN EXCLUDED.phone ELSE c.phone END,
         name = CASE WHEN $11 THEN EXCLUDED.name ELSE c.name END,
         attributes = (c.attributes || $5::jsonb) - $6::text[],
         tags = ARRAY(SELECT t FROM unnest(c.tags || $7::text[]) WITH ORDINALITY AS u(t, i)
                      WHERE t <> ALL($8::text[]) GROUP BY t ORDER BY min(i)),
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        id,
        change.email ?? null,
        change.phone ?? null,
        change.name ?? null,
        JSON.stringify(change.setAttributes),
        change.removeAttributes,
        change.addTags,
        change.removeTags,
        has('email'),
        has('phone'),
        has('name'),
      ],
    );
    return rows[0];
  }

  /** Replaces a customer (an upsert by id); `created` tells a new one from a replaced one. */
  async replace(id: string, fields: CustomerFields): Promise<CustomerRow & { created: boolean }> {
    const { rows } = await this.db.query<CustomerRow & { created: boolean }>(
      `INSERT INTO customers AS c (id, name, email, phone, attributes, tags) VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[])
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone,
         attributes = EXCLUDED.attributes, tags = EXCLUDED.tags
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [id, fields.name, fields.email, fields.phone, JSON.stringify(fields.attributes), fields.tags],
    );
    return rows[0];
  }
}
