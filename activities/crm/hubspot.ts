import { ApplicationFailure } from '@temporalio/common';
import type { CustomerRecord } from '../../contracts/activities';
import { activityCancellationSignal, errorMessage } from '../errors';
import { HttpTimeoutError, safeRequest } from '../http/safe-request';
import type { SecretResolver } from '../http/secrets';
import { BlockedUrlError } from '../http/url-safety';
import type { CrmAdapter, CustomerChange, NewTicket } from './crm-adapter';

export const DEFAULT_HUBSPOT_BASE_URL = 'https://api.hubapi.com';
export const DEFAULT_HUBSPOT_TOKEN_SECRET = 'hubspot_token';
export const DEFAULT_HUBSPOT_TAGS_PROPERTY = 'cauce_tags';
export const DEFAULT_HUBSPOT_TICKET_KEY_PROPERTY = 'cauce_idempotency_key';
/** HubSpot's default association type from a ticket to a contact. */
export const TICKET_TO_CONTACT_ASSOCIATION = 16;

export interface HubSpotCrmOptions {
  /** Where the private-app token is read, by name, on every call. */
  secrets: SecretResolver;
  /** `HUBSPOT_TOKEN_SECRET` (default `hubspot_token`). */
  tokenSecret?: string;
  /** `HUBSPOT_BASE_URL` (default https://api.hubapi.com). */
  baseUrl?: string;
  /**
   * The contact property that holds Cauce's customer id (`HUBSPOT_ID_PROPERTY`). Default `hs_object_id`:
   * customer ids are HubSpot contact ids, and `crmUpdate` cannot create contacts. With a custom property
   * (e.g. `cauce_customer_id`, a single-line text with unique values) an unknown id creates the contact.
   */
  idProperty?: string;
  /** The multiple-checkbox contact property the tags map to (`HUBSPOT_TAGS_PROPERTY`, default `cauce_tags`). */
  tagsProperty?: string;
  /** Contact properties read back as `attributes` (`HUBSPOT_ATTRIBUTE_PROPERTIES`, comma-separated). */
  attributeProperties?: string[];
  /**
   * The ticket property holding the node visit's idempotency key (`HUBSPOT_TICKET_KEY_PROPERTY`, default
   * `cauce_idempotency_key`, a single-line text with unique values); null turns ticket de-duplication off.
   */
  ticketKeyProperty?: string | null;
  /** `HUBSPOT_TICKET_PIPELINE` (default `0`, the help-desk pipeline) and `HUBSPOT_TICKET_STAGE` (default `1`, "New"). */
  ticketPipeline?: string;
  ticketStage?: string;
  /** Allow a loopback or private base URL (tests, a proxy). Default false. */
  allowPrivateNetworks?: boolean;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
}

const PRIORITY: Record<NewTicket['priority'], string> = { low: 'LOW', normal: 'MEDIUM', high: 'HIGH', urgent: 'URGENT' };
const MAX_RETRY_AFTER_S = 60;

/** HubSpot property internal names are lowercase letters, digits and underscores. */
export function hubspotPropertyName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function toPropertyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const splitTags = (value: string | null | undefined) =>
  (value ?? '')
    .split(';')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * `CrmAdapter` over HubSpot's CRM API v3 with a private-app token.
 *
 * - lookup: `POST /crm/v3/objects/contacts/search` by `email`, by `phone` (or `mobilephone`; exact match
 *   of the normalised number) or by the id property, most recently modified first.
 * - update: finds the contact the same way, then `PATCH /crm/v3/objects/contacts/{id}`; `fields.email`,
 *   `fields.phone` set those properties, `fields.name` splits into `firstname`/`lastname`, other fields go
 *   to the property of the same name lower-cased (`lastPurchaseAt` -> `lastpurchaseat`; it must exist in
 *   HubSpot); null clears. Tags are read, merged and written back as the multiple-checkbox property
 *   (`;`-separated; every tag must be one of its options, or HubSpot answers 400). Unknown id: with a
 *   custom id property `POST /crm/v3/objects/contacts` creates it; with `hs_object_id`, `CrmNotFound`.
 * - createTicket: `POST /crm/v3/objects/tickets` with subject, content, pipeline, stage, priority
 *   (LOW/MEDIUM/HIGH/URGENT) and the idempotency key property, associated to the customer's contact
 *   (type 16). Idempotent: the key is searched first, and a 409 from the unique property (a retry racing
 *   HubSpot's search index) returns the existing ticket with `created: false`.
 *
 * Failures: 429 retryable after Retry-After; 5xx, timeouts and connection errors retryable; 401/403
 * (`CrmAuthFailed`), 400 (`CrmRejected`, with HubSpot's message) and 409 (`CrmConflict`: an email
 * another contact has) are not. The token never appears in a message.
 */
export function createHubSpotCrm(options: HubSpotCrmOptions): CrmAdapter {
  const base = (options.baseUrl || DEFAULT_HUBSPOT_BASE_URL).replace(/\/+$/, '');
  const host = new URL(base).host;
  const tokenSecret = options.tokenSecret || DEFAULT_HUBSPOT_TOKEN_SECRET;
  const idProperty = options.idProperty || 'hs_object_id';
  const nativeIds = idProperty === 'hs_object_id';
  const tagsProperty = options.tagsProperty || DEFAULT_HUBSPOT_TAGS_PROPERTY;
  const attributeProperties = (options.attributeProperties ?? []).map(hubspotPropertyName).filter(Boolean);
  const ticketKey = options.ticketKeyProperty === undefined ? DEFAULT_HUBSPOT_TICKET_KEY_PROPERTY : options.ticketKeyProperty;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const core = ['email', 'phone', 'mobilephone', 'firstname', 'lastname', tagsProperty, 'lastmodifieddate'];
  const contactProperties = [...new Set([...core, ...(nativeIds ? [] : [idProperty]), ...attributeProperties])];
  const hidden = new Set([...core, idProperty, 'hs_object_id', 'createdate']);

  async function call<T>(method: string, path: string, body?: unknown, allow404 = false): Promise<{ status: number; json: T | null }> {
    const token = await options.secrets.get(tokenSecret);
    if (!token) throw ApplicationFailure.nonRetryable(`the HubSpot token secret "${tokenSecret}" is not configured`, 'MissingSecret');
    const where = `HubSpot ${method} ${host}${path.replace(/\?.*$/, '')}`;
    let response;
    try {
      response = await safeRequest({
        method,
        url: `${base}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'user-agent': 'Cauce/0.1 (+crm)',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        timeoutMs,
        maxResponseBytes: 1024 * 1024,
        maxRedirects: 0,
        allowPrivateNetworks: options.allowPrivateNetworks,
        signal: activityCancellationSignal(),
      });
    } catch (err) {
      if (err instanceof BlockedUrlError) throw ApplicationFailure.nonRetryable(`${where} refused: ${err.message}`, 'HttpUrlRefused');
      if (err instanceof HttpTimeoutError) throw ApplicationFailure.retryable(`${where} did not answer within ${timeoutMs} ms`, 'CrmTimeout');
      const code = (err as { code?: string }).code;
      throw ApplicationFailure.retryable(`${where} failed${code ? ` (${code})` : `: ${errorMessage(err)}`}`, 'CrmConnectionError');
    }
    const text = response.body.toString('utf8');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { status, json: json as T };
    if (status === 404 && allow404) return { status, json: null };
    const message = `${where} answered HTTP ${status}: ${hubspotMessage(json, text)}`;
    if (status === 429) {
      const delay = retryAfter(response.headers['retry-after']);
      throw ApplicationFailure.create({
        message,
        type: 'CrmRateLimited',
        nonRetryable: false,
        ...(delay !== undefined ? { nextRetryDelay: `${delay}s` as const } : {}),
      });
    }
    if (status >= 500 || status === 408) throw ApplicationFailure.create({ message, type: 'CrmUnavailable', nonRetryable: false, details: [{ status }] });
    if (status === 401 || status === 403) throw ApplicationFailure.nonRetryable(message, 'CrmAuthFailed', { status });
    if (status === 409) throw Object.assign(ApplicationFailure.nonRetryable(message, 'CrmConflict', { status }), { existingId: existingIdOf(json) });
    throw ApplicationFailure.nonRetryable(message, 'CrmRejected', { status });
  }

  async function searchContacts(filterGroups: unknown[]): Promise<HubSpotObject | null> {
    const { json } = await call<{ results?: HubSpotObject[] }>('POST', '/crm/v3/objects/contacts/search', {
      filterGroups,
      properties: contactProperties,
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
      limit: 1,
    });
    return json?.results?.[0] ?? null;
  }

  const eq = (propertyName: string, value: string) => ({ filters: [{ propertyName, operator: 'EQ', value }] });

  async function findById(customerId: string): Promise<HubSpotObject | null> {
    if (nativeIds && !/^\d{1,20}$/.test(customerId)) return null;
    return searchContacts([eq(idProperty, customerId)]);
  }

  async function getContact(id: string): Promise<HubSpotObject | null> {
    const { json } = await call<HubSpotObject>(
      'GET',
      `/crm/v3/objects/contacts/${encodeURIComponent(id)}?properties=${contactProperties.map(encodeURIComponent).join(',')}`,
      undefined,
      true,
    );
    return json;
  }

  function toRecord(contact: HubSpotObject, fallbackId?: string): CustomerRecord {
    const p = contact.properties ?? {};
    const name = [p.firstname, p.lastname]
      .filter((x) => x && x.trim())
      .join(' ')
      .trim();
    const attributes: Record<string, unknown> = { hubspotId: contact.id };
    for (const [key, value] of Object.entries(p)) {
      if (!hidden.has(key) && value !== null && value !== '' && (attributeProperties.includes(key) || !key.startsWith('hs_'))) attributes[key] = value;
    }
    return {
      id: nativeIds ? contact.id : (p[idProperty] ?? fallbackId ?? contact.id),
      email: p.email || null,
      phone: p.phone || p.mobilephone || null,
      name: name || null,
      attributes,
      tags: splitTags(p[tagsProperty]),
    };
  }

  function changedProperties(change: CustomerChange, currentTags: string[]): Record<string, string> {
    const props: Record<string, string> = {};
    for (const [key, value] of Object.entries(change.attributes)) props[hubspotPropertyName(key)] = toPropertyValue(value);
    if ('email' in change) props.email = change.email ?? '';
    if ('phone' in change) props.phone = change.phone ?? '';
    if ('name' in change) {
      const name = (change.name ?? '').trim();
      const space = name.indexOf(' ');
      props.firstname = space < 0 ? name : name.slice(0, space);
      props.lastname = space < 0 ? '' : name.slice(space + 1).trim();
    }
    if (change.addTags.length || change.removeTags.length) {
      const remove = new Set(change.removeTags);
      props[tagsProperty] = [...new Set([...currentTags, ...change.addTags])].filter((t) => !remove.has(t)).join(';');
    }
    return props;
  }

  async function patch(contact: HubSpotObject, change: CustomerChange, customerId: string): Promise<CustomerRecord> {
    const props = changedProperties(change, splitTags(contact.properties?.[tagsProperty]));
    if (Object.keys(props).length === 0) return toRecord(contact, customerId);
    const { json } = await call<HubSpotObject>('PATCH', `/crm/v3/objects/contacts/${encodeURIComponent(contact.id)}`, { properties: props });
    return toRecord({ id: contact.id, properties: { ...contact.properties, ...(json?.properties ?? {}), ...props } }, customerId);
  }

  return {
    name: 'hubspot',

    async lookup(by, value) {
      const contact =
        by === 'id'
          ? await findById(value)
          : by === 'email'
            ? await searchContacts([eq('email', value)])
            : await searchContacts([eq('phone', value), eq('mobilephone', value)]);
      return contact ? toRecord(contact) : null;
    },

    async update(customerId, change) {
      const found = await findById(customerId);
      if (found) return patch(found, change, customerId);
      if (nativeIds) {
        throw ApplicationFailure.nonRetryable(
          `HubSpot has no contact ${customerId}; with HUBSPOT_ID_PROPERTY=hs_object_id customer ids must be existing contact ids`,
          'CrmNotFound',
        );
      }
      const props = { ...changedProperties(change, []), [idProperty]: customerId };
      try {
        const { json } = await call<HubSpotObject>('POST', '/crm/v3/objects/contacts', { properties: props });
        return toRecord({ id: json?.id ?? '', properties: { ...(json?.properties ?? {}), ...props } }, customerId);
      } catch (err) {
        // A retry after a create whose answer was lost, before HubSpot's search index caught up: the
        // unique id property says which contact exists; if it is this customer, update it instead.
        const existingId = (err as { existingId?: string }).existingId;
        if (!existingId) throw err;
        const existing = await getContact(existingId);
        if (existing && existing.properties?.[idProperty] === customerId) return patch(existing, change, customerId);
        throw err;
      }
    },

    async createTicket(ticket) {
      const findTicket = async () => {
        if (!ticketKey) return null;
        const { json } = await call<{ results?: HubSpotObject[] }>('POST', '/crm/v3/objects/tickets/search', {
          filterGroups: [eq(ticketKey, ticket.idempotencyKey)],
          properties: ['subject', ticketKey],
          limit: 1,
        });
        return json?.results?.[0] ?? null;
      };
      const existing = await findTicket();
      if (existing) return { ticketId: existing.id, created: false };

      const contact = ticket.customerId ? await findById(ticket.customerId) : null;
      const properties: Record<string, string> = {
        subject: ticket.subject,
        content: ticket.description ?? '',
        hs_pipeline: options.ticketPipeline || '0',
        hs_pipeline_stage: options.ticketStage || '1',
        hs_ticket_priority: PRIORITY[ticket.priority] ?? 'MEDIUM',
        ...(ticketKey ? { [ticketKey]: ticket.idempotencyKey } : {}),
      };
      try {
        const { json } = await call<HubSpotObject>('POST', '/crm/v3/objects/tickets', {
          properties,
          associations: contact
            ? [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TICKET_TO_CONTACT_ASSOCIATION }] }]
            : [],
        });
        if (!json?.id) throw ApplicationFailure.retryable('HubSpot created a ticket but returned no id', 'CrmUnavailable');
        return { ticketId: json.id, created: true };
      } catch (err) {
        if (!(err instanceof ApplicationFailure) || err.type !== 'CrmConflict' || !ticketKey) throw err;
        // The unique key property: this visit's ticket exists (a retry raced the search index).
        const existingId = (err as { existingId?: string }).existingId;
        if (existingId) return { ticketId: existingId, created: false };
        const again = await findTicket();
        if (again) return { ticketId: again.id, created: false };
        throw ApplicationFailure.retryable(`${err.message} (the existing ticket is not searchable yet)`, 'CrmUnavailable');
      }
    },
  };
}

/** HubSpot errors: `{ status: 'error', message, category, correlationId, errors?: [{ message }] }`. */
function hubspotMessage(json: unknown, text: string): string {
  const body = json as { message?: unknown; category?: unknown; errors?: { message?: unknown }[] } | null;
  if (body && typeof body.message === 'string') {
    const details = Array.isArray(body.errors) ? body.errors.map((e) => (typeof e?.message === 'string' ? e.message : '')).filter(Boolean) : [];
    return `${typeof body.category === 'string' ? `${body.category}: ` : ''}${body.message}${details.length ? ` (${details.join('; ')})` : ''}`.slice(0, 500);
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || 'no details';
}

/** "Contact already exists. Existing ID: 12345" (HubSpot's 409 for a unique value). */
function existingIdOf(json: unknown): string | undefined {
  const message = (json as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? /Existing ID:\s*(\d+)/i.exec(message)?.[1] : undefined;
}

function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_S) : undefined;
}

/** The CRM adapter `CRM_PROVIDER` selects: `hubspot`, or undefined for the built-in PostgreSQL one. */
export function hubSpotOptionsFromEnv(env: Record<string, string | undefined>): Omit<HubSpotCrmOptions, 'secrets'> {
  const v = (name: string) => env[name]?.trim() || undefined;
  const key = env.HUBSPOT_TICKET_KEY_PROPERTY?.trim();
  return {
    tokenSecret: v('HUBSPOT_TOKEN_SECRET'),
    baseUrl: v('HUBSPOT_BASE_URL'),
    idProperty: v('HUBSPOT_ID_PROPERTY'),
    tagsProperty: v('HUBSPOT_TAGS_PROPERTY'),
    attributeProperties: v('HUBSPOT_ATTRIBUTE_PROPERTIES')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ticketKeyProperty: key === undefined || key === '' ? undefined : key.toLowerCase() === 'none' ? null : key,
    ticketPipeline: v('HUBSPOT_TICKET_PIPELINE'),
    ticketStage: v('HUBSPOT_TICKET_STAGE'),
  };
}
