import type { CrmLookupInput, CrmLookupOutput, CrmTicketInput, CrmTicketOutput, CrmUpdateInput, CrmUpdateOutput } from '../../contracts/activities';
import { invalidInput } from '../errors';
import type { CrmAdapter, CustomerChange } from './crm-adapter';
import { isValidCustomerId, normalizeEmail, normalizePhone, normalizeTag } from './validation';

export interface CrmDeps {
  crm: CrmAdapter;
}

const PRIORITIES = new Set(['low', 'normal', 'high', 'urgent']);
const IDENTITY_FIELDS = new Set(['email', 'phone', 'name']);
const RESERVED_FIELDS = new Set(['id', 'tags', 'attributes']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const SUBJECT_MAX = 500;
const DESCRIPTION_MAX = 20_000;

/**
 * The CRM nodes' activities over any `CrmAdapter`. Input is validated and normalised here, once for
 * every adapter; what no retry can fix fails with a non-retryable ApplicationFailure.
 *
 * - crmLookup: a read. A value that cannot match (an empty or malformed email or phone) is simply
 *   `found: false`, since it usually comes from what a customer typed.
 * - crmUpdate: an upsert (an unknown id creates the customer). `fields.email`, `fields.phone` and
 *   `fields.name` set those columns (validated; null clears; a blank string is ignored so a template
 *   that rendered nothing never wipes them); every other field is an attribute (null removes it).
 *   Setting values and adding/removing tags are idempotent, so retries are safe.
 * - crmTicket: idempotent by `ctx.idempotencyKey`: a retry returns the same ticket with created: false.
 */
export function createCrmActivities({ crm }: CrmDeps) {
  return {
    async crmLookup(input: CrmLookupInput): Promise<CrmLookupOutput> {
      const raw = typeof input.value === 'string' ? input.value.trim() : '';
      let value: string | null;
      switch (input.by) {
        case 'id':
          value = isValidCustomerId(raw) ? raw : null;
          break;
        case 'email':
          value = normalizeEmail(raw);
          break;
        case 'phone':
          value = normalizePhone(raw);
          break;
        default:
          throw invalidInput(`crmLookup: "by" must be id, email or phone, not ${JSON.stringify(input.by)}`);
      }
      if (value === null) return { found: false, customer: null };
      const customer = await crm.lookup(input.by, value);
      return { found: customer !== null, customer };
    },

    async crmUpdate(input: CrmUpdateInput): Promise<CrmUpdateOutput> {
      if (!isValidCustomerId(input.customerId)) throw invalidInput('crmUpdate needs a customerId (1 to 200 characters)');
      const change = toChange(input);
      return { customer: await crm.update(input.customerId.trim(), change) };
    },

    async crmTicket(input: CrmTicketInput): Promise<CrmTicketOutput> {
      const subject = typeof input.subject === 'string' ? input.subject.trim() : '';
      if (!subject) throw invalidInput('crmTicket needs a subject');
      if (subject.length > SUBJECT_MAX) throw invalidInput(`crmTicket: the subject is longer than ${SUBJECT_MAX} characters`);
      const priority = input.priority ?? 'normal';
      if (!PRIORITIES.has(priority)) throw invalidInput(`crmTicket: priority must be low, normal, high or urgent, not ${JSON.stringify(priority)}`);
      if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
        throw invalidInput('crmTicket: description must be text');
      }
      if ((input.description?.length ?? 0) > DESCRIPTION_MAX) throw invalidInput(`crmTicket: the description is longer than ${DESCRIPTION_MAX} characters`);
      if (!input.ctx?.idempotencyKey) throw invalidInput('crmTicket needs ctx.idempotencyKey');
      const customerId = input.customerId?.trim() || input.ctx.customerId?.trim() || null;
      if (customerId !== null && !isValidCustomerId(customerId)) throw invalidInput('crmTicket: invalid customerId');
      return crm.createTicket({
        customerId,
        subject,
        description: input.description?.trim() || null,
        priority,
        idempotencyKey: input.ctx.idempotencyKey,
        runId: input.ctx.runId,
      });
    },
  };
}

function toChange(input: CrmUpdateInput): CustomerChange {
  const change: CustomerChange = { attributes: {}, addTags: [], removeTags: [] };
  for (const [key, value] of Object.entries(input.fields ?? {})) {
    if (!FIELD_NAME.test(key)) throw invalidInput(`crmUpdate: invalid field name ${JSON.stringify(key)}`);
    if (RESERVED_FIELDS.has(key)) throw invalidInput(`crmUpdate: "${key}" cannot be set as a field (use addTags/removeTags for tags)`);
    if (!IDENTITY_FIELDS.has(key)) {
      change.attributes[key] = value === undefined ? null : value;
      continue;
    }
    if (value === null) {
      change[key as 'email' | 'phone' | 'name'] = null;
      continue;
    }
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') throw invalidInput(`crmUpdate: ${key} must be text`);
    if (!text.trim()) continue;
    if (key === 'email') {
      const email = normalizeEmail(text);
      if (!email) throw invalidInput(`crmUpdate: ${JSON.stringify(text)} is not a valid email address`);
      change.email = email;
    } else if (key === 'phone') {
      const phone = normalizePhone(text);
      if (!phone) throw invalidInput(`crmUpdate: ${JSON.stringify(text)} is not a valid phone number`);
      change.phone = phone;
    } else {
      if (text.length > 200) throw invalidInput('crmUpdate: the name is longer than 200 characters');
      change.name = text.trim();
    }
  }
  const tags = (list: unknown, name: string): string[] => {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw invalidInput(`crmUpdate: ${name} must be a list of tags`);
    return list.map((t) => {
      const tag = normalizeTag(t);
      if (tag === null) throw invalidInput(`crmUpdate: invalid tag ${JSON.stringify(t)} in ${name}`);
      return tag;
    });
  };
  change.addTags = [...new Set(tags(input.addTags, 'addTags'))];
  change.removeTags = [...new Set(tags(input.removeTags, 'removeTags'))];
  return change;
}

export type CrmActivities = ReturnType<typeof createCrmActivities>;
