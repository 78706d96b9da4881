import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { CustomerRecord } from '../../contracts/activities';
import { classifyDbError } from '../errors';
import { CustomerMerge, CustomerRepository, CustomerRow, isDuplicateEmail } from '../../libs/customers/customer.repository';
import type { CrmAdapter, CustomerChange, NewTicket } from './crm-adapter';

function toRecord(row: CustomerRow): CustomerRecord {
  return { id: row.id, email: row.email, phone: row.phone, name: row.name, attributes: row.attributes ?? {}, tags: row.tags ?? [] };
}

/**
 * The built-in CRM over the `customers` table (through libs/customers, its one writer) and the
 * `tickets` table (written here only).
 *
 * - Emails are unique case-insensitively (`customers_email_key` on lower(email)); giving a customer
 *   an email another one has fails non-retryably.
 * - `update` is one upsert statement: attributes merge (`||`, null values removed), tags keep their
 *   first-seen order without duplicates, removals applied last.
 * - `createTicket` inserts with ON CONFLICT (idempotency_key) DO NOTHING and, if nothing was
 *   inserted, returns the existing ticket: exactly one ticket per node visit, however many retries.
 */
export function createPgCrm(pool: Pool): CrmAdapter {
  const customers = new CustomerRepository(pool);
  return {
    name: 'postgres',

    async lookup(by, value) {
      try {
        const row = await customers.findBy(by, value);
        return row ? toRecord(row) : null;
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
      const merge: CustomerMerge = { setAttributes, removeAttributes, addTags: change.addTags, removeTags: change.removeTags };
      // A field present in the change is set, even to null; an absent one stays as it is.
      for (const k of ['email', 'phone', 'name'] as const) if (Object.prototype.hasOwnProperty.call(change, k)) merge[k] = change[k];
      try {
        return toRecord(await customers.merge(customerId, merge));
      } catch (err) {
        if (isDuplicateEmail(err)) {
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
