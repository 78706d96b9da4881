import type { CrmTicketInput, CustomerRecord } from '../../contracts/activities';

/** A validated change to a customer (see `crm.activities.ts` for how node fields map here). */
export interface CustomerChange {
  /** Present: set (null clears). Absent: unchanged. Already normalised (lowercase email, E.164-ish phone). */
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  /** Merged into the attributes; a null value removes that attribute. */
  attributes: Record<string, unknown>;
  addTags: string[];
  removeTags: string[];
}

export interface NewTicket {
  customerId: string | null;
  subject: string;
  description: string | null;
  priority: CrmTicketInput['priority'];
  /** The node visit's key: the same ticket for every retry of one visit. */
  idempotencyKey: string;
  runId?: string;
}

/**
 * What the CRM activities need from a CRM. The built-in one is `createPgCrm` (PostgreSQL); a later
 * HubSpot or Salesforce adapter implements the same three methods, mapping `attributes` to its
 * custom properties and using `idempotencyKey` (e.g. as an external id or in a lookup table) so a
 * retried `createTicket` never opens a second ticket.
 *
 * Adapters receive validated, normalised input. They throw `ApplicationFailure.nonRetryable` for
 * what a retry cannot fix (a conflict, a rejected value) and plain errors for transient failures.
 */
export interface CrmAdapter {
  readonly name: string;
  /** The customer by id, email (case-insensitive) or phone (most recently updated match); null when none. */
  lookup(by: 'id' | 'email' | 'phone', value: string): Promise<CustomerRecord | null>;
  /** Applies the change, creating the customer if the id is unknown (upsert); returns the result. */
  update(customerId: string, change: CustomerChange): Promise<CustomerRecord>;
  /** Opens a ticket once per idempotency key: a repeat returns the first ticket with created: false. */
  createTicket(ticket: NewTicket): Promise<{ ticketId: string; created: boolean }>;
}
