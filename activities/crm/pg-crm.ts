import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { CustomerRecord } from '../../contracts/activities';
import { classifyDbError } from '../errors';
import type { CrmAdapter, CustomerChange, NewTicket } from './crm-adapter';

interface CustomerRow {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  attributes: Record<string, unknown> | null;
  tags: string[] | null;
}

const COLUMNS = 'id, email, phone, name, attributes, tags';

function toRecord(row: CustomerRow): CustomerRecord {
  return { id: row.id, email: row.email, phone: row.phone, name: row.name, attributes: row.attributes ?? {}, tags: row.tags ?? [] };
}

/**
 * The built-in CRM over the `customers` and `tickets` tables.
 *
 * - Emails are unique case-insensitively (`customers_email_key` on lower(email)); giving a customer
 *   an email another one has fails non-retryably.
 * - `update` is one upsert statement: attributes merge (`||`, null values removed), tags keep their
 *   first-seen order without duplicates, removals applied last.
 * - `createTicket` inserts with ON CONFLICT (idempotency_key) DO NOTHING and, if nothing was
 *   inserted, returns the existing ticket: exactly one ticket per node visit, however many retries.
 */
export function createPgCrm(pool: Pool): CrmAdapter {
  return {
    name: 'postgres',

    async lookup(by, value) {
      const where =
        by === 'id'
          ? 'id = $1'
          : by === 'email'
            ? 'lower(email) = lower($1)'
            : 'phone = $1';
      try {
        const { rows } = await pool.query<CustomerRow>(
          `SELECT ${COLUMNS} FROM customers WHERE ${where} ORDER BY updated_at DESC LIMIT 1`,
          [value],
        );
        return rows[0] ? toRecord(rows[0]) : null;
      } catch (err) {
        throw classifyDbError(err, 'crm lookup failed');
      }
    },

    async update(customerId: string, change: CustomerChange) {
      const setAttributes: Record<string, unknown> = {};
      const removeAttributes: string[] = [];
      for (const [key, value] of Object.entries(change.attributes)) {
        if (value === null) removeAttributes.push(key);
        else setAttributes[key] = value;
      }
      const has = (k: 'email' | 'phone' | 'name') => Object.prototype.hasOwnProperty.call(change, k);
      try {
        const { rows } = await pool.query<CustomerRow>(
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
            customerId,
            change.email ?? null,
            change.phone ?? null,
            change.name ?? null,
            JSON.stringify(setAttributes),
            removeAttributes,
            change.addTags,
            change.removeTags,
            has('email'),
            has('phone'),
            has('name'),
          ],
        );
        return toRecord(rows[0]);
      } catch (err) {
        if ((err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'customers_email_key') {
          throw ApplicationFailure.nonRetryable(`the email ${change.email} already belongs to another customer`, 'CrmConflict');
        }
        throw classifyDbError(err, 'crm update failed');
      }
    },

    async createTicket(ticket: NewTicket) {
      try {
        const inserted = await pool.query<{ id: string }>(
          `INSERT INTO tickets (customer_id, subject, description, priority, run_id, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id::text AS id`,
          [ticket.customerId, ticket.subject, ticket.description, ticket.priority, ticket.runId ?? null, ticket.idempotencyKey],
        );
        if (inserted.rows[0]) return { ticketId: inserted.rows[0].id, created: true };
        const existing = await pool.query<{ id: string }>(`SELECT id::text AS id FROM tickets WHERE idempotency_key = $1`, [ticket.idempotencyKey]);
        if (!existing.rows[0]) throw new Error('ticket idempotency conflict but no ticket found; retrying');
        return { ticketId: existing.rows[0].id, created: false };
      } catch (err) {
        throw classifyDbError(err, 'crm ticket failed');
      }
    },
  };
}
