import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { createEnvSecretResolver } from '../http/secrets';
import { createActivities } from '../index';
import { createCrmActivities } from './crm.activities';
import { createHubSpotCrm } from './hubspot';

/**
 * A local stand-in for HubSpot's CRM API v3 that serves the documented response shapes
 * (search: `{ total, results: [{ id, properties, createdAt, updatedAt, archived }] }`; errors:
 * `{ status: 'error', message, category }`) and keeps what it was sent, so the tests can assert the
 * requests: auth header, search filters, PATCH/POST bodies, associations.
 */
interface Obj {
  id: string;
  properties: Record<string, string | null>;
}
type FilterGroup = { filters: { propertyName: string; operator: string; value: string }[] };
/** What the client sends: a search lists property names; a create or update carries their values. */
interface HubSpotBody {
  filterGroups?: FilterGroup[];
  limit?: number;
  properties?: string[] | Record<string, string>;
  associations?: unknown;
}
interface Hit {
  method: string;
  path: string;
  auth: string | undefined;
  body: HubSpotBody | undefined;
}
const values = (body: HubSpotBody | undefined) => (Array.isArray(body?.properties) ? {} : (body?.properties ?? {}));

async function startFakeHubSpot(token: string) {
  const contacts = new Map<string, Obj>();
  const tickets = new Map<string, Obj & { associations: unknown }>();
  const hits: Hit[] = [];
  let nextId = 1000;
  let override: ((hit: Hit) => { status: number; body: unknown; headers?: Record<string, string> } | undefined) | undefined;
  /** Tickets created but not searchable yet (HubSpot's search index lags a few seconds). */
  const unindexed = new Set<string>();
  const TAG_OPTIONS = new Set(['vip', 'newsletter', 'churn-risk', 'b2b']);
  const now = () => new Date().toISOString();
  const touch = (o: Obj) => {
    o.properties.lastmodifieddate = now();
    o.properties.hs_object_id = o.id;
  };
  const shape = (o: Obj, props?: string[]) => ({
    id: o.id,
    properties: props
      ? Object.fromEntries(['hs_object_id', 'createdate', 'lastmodifieddate', ...props].map((p) => [p, o.properties[p] ?? null]))
      : { ...o.properties },
    createdAt: o.properties.createdate,
    updatedAt: o.properties.lastmodifieddate,
    archived: false,
  });
  const matches = (o: Obj, groups: FilterGroup[]) =>
    groups.some((g) =>
      g.filters.every((f) => {
        const v = f.propertyName === 'hs_object_id' ? o.id : o.properties[f.propertyName];
        return f.operator === 'EQ' && v !== null && v !== undefined && (f.propertyName === 'email' ? v.toLowerCase() === f.value.toLowerCase() : v === f.value);
      }),
    );
  const conflict = (message: string) => ({ status: 409, body: { status: 'error', message, correlationId: 'c-1', category: 'CONFLICT' } });
  const validateTags = (props: Record<string, string>) => {
    const value = props.cauce_tags;
    if (value === undefined) return undefined;
    const bad = value.split(';').filter((t) => t && !TAG_OPTIONS.has(t));
    return bad.length
      ? {
          status: 400,
          body: {
            status: 'error',
            message: 'Property values were not valid',
            category: 'VALIDATION_ERROR',
            errors: [{ message: `${bad[0]} was not one of the allowed options` }],
          },
        }
      : undefined;
  };

  function route(hit: Hit): { status: number; body: unknown; headers?: Record<string, string> } {
    if (hit.auth !== `Bearer ${token}`) {
      return { status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } };
    }
    const custom = override?.(hit);
    if (custom) return custom;
    const url = new URL(hit.path, 'http://x');
    const [, , , , type, id] = url.pathname.split('/'); // /crm/v3/objects/{type}/{id|search}
    const store = type === 'contacts' ? contacts : type === 'tickets' ? tickets : undefined;
    if (!store || !url.pathname.startsWith('/crm/v3/objects/'))
      return { status: 404, body: { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' } };

    if (hit.method === 'POST' && id === 'search') {
      const names = Array.isArray(hit.body?.properties) ? hit.body.properties : undefined;
      const results = [...store.values()]
        .filter((o) => !unindexed.has(o.id) && matches(o, hit.body?.filterGroups ?? []))
        .sort((a, b) => String(b.properties.lastmodifieddate).localeCompare(String(a.properties.lastmodifieddate)));
      return { status: 200, body: { total: results.length, results: results.slice(0, hit.body?.limit ?? 10).map((o) => shape(o, names)) } };
    }
    if (hit.method === 'GET' && id) {
      const o = store.get(id);
      return o
        ? { status: 200, body: shape(o, url.searchParams.get('properties')?.split(',')) }
        : { status: 404, body: { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' } };
    }
    if (hit.method === 'PATCH' && id && type === 'contacts') {
      const o = contacts.get(id);
      if (!o) return { status: 404, body: { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' } };
      const props = values(hit.body);
      const badTags = validateTags(props);
      if (badTags) return badTags;
      const owner = props.email && [...contacts.values()].find((c) => c.id !== id && c.properties.email?.toLowerCase() === props.email.toLowerCase());
      if (owner) return conflict(`Contact already exists. Existing ID: ${owner.id}`);
      Object.assign(o.properties, Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v === '' ? null : v])));
      touch(o);
      return { status: 200, body: shape(o, Object.keys(props)) };
    }
    if (hit.method === 'POST' && !id) {
      const props = values(hit.body);
      if (type === 'contacts') {
        const badTags = validateTags(props);
        if (badTags) return badTags;
        const same = [...contacts.values()].find(
          (c) => (props.cauce_customer_id && c.properties.cauce_customer_id === props.cauce_customer_id) || (props.email && c.properties.email === props.email),
        );
        if (same) return conflict(`Contact already exists. Existing ID: ${same.id}`);
      } else {
        const same = [...tickets.values()].find((t) => props.cauce_idempotency_key && t.properties.cauce_idempotency_key === props.cauce_idempotency_key);
        if (same) return conflict(`A ticket with cauce_idempotency_key ${props.cauce_idempotency_key} already exists. Existing ID: ${same.id}`);
      }
      const o: Obj & { associations?: unknown } = { id: String(nextId++), properties: { ...props, createdate: now() } };
      touch(o);
      if (type === 'tickets') {
        (o as Obj & { associations: unknown }).associations = hit.body?.associations;
        tickets.set(o.id, o as Obj & { associations: unknown });
      } else contacts.set(o.id, o);
      return { status: 201, body: shape(o) };
    }
    return { status: 405, body: { status: 'error', message: 'method not allowed', category: 'VALIDATION_ERROR' } };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const hit: Hit = { method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body: text ? JSON.parse(text) : undefined };
      hits.push(hit);
      const r = route(hit);
      res.writeHead(r.status, { 'content-type': 'application/json;charset=utf-8', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const addContact = (properties: Record<string, string>) => {
    const o: Obj = { id: String(nextId++), properties: { createdate: now(), ...properties } };
    touch(o);
    contacts.set(o.id, o);
    return o;
  };
  return {
    base: `http://127.0.0.1:${port}`,
    contacts,
    tickets,
    hits,
    unindexed,
    addContact,
    override: (fn: typeof override) => {
      override = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('HubSpot CRM adapter (local HubSpot API)', () => {
  const token = 'pat-na1-test-token';
  let hub: Awaited<ReturnType<typeof startFakeHubSpot>>;
  const secrets = createEnvSecretResolver({ CAUCE_SECRET_HUBSPOT_TOKEN: token });
  const ctx = { runId: 'run-1', flowId: 'flow-1', nodeId: 'ticket', idempotencyKey: 'run-1:ticket:1' };
  const crm = (extra: Partial<Parameters<typeof createHubSpotCrm>[0]> = {}) =>
    createCrmActivities({ crm: createHubSpotCrm({ secrets, baseUrl: hub.base, allowPrivateNetworks: true, attributeProperties: ['tier'], ...extra }) });
  async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }

  let ana: Obj;
  beforeAll(async () => {
    hub = await startFakeHubSpot(token);
    ana = hub.addContact({
      email: 'ana@example.com',
      phone: '+34600123456',
      firstname: 'Ana',
      lastname: 'García López',
      cauce_tags: 'vip;newsletter',
      tier: 'gold',
    });
    hub.addContact({ email: 'luis@example.com', mobilephone: '+34600999888', firstname: 'Luis', lastname: '' });
  });
  afterAll(async () => {
    await hub?.close();
  });
  beforeEach(() => {
    hub.hits.length = 0;
    hub.override(undefined);
  });

  it('looks contacts up by email, phone and id through the search endpoint', async () => {
    const { crmLookup } = crm();
    const byEmail = await crmLookup({ ctx, by: 'email', value: 'ANA@example.com' });
    expect(byEmail).toEqual({
      found: true,
      customer: {
        id: ana.id,
        email: 'ana@example.com',
        phone: '+34600123456',
        name: 'Ana García López',
        attributes: { hubspotId: ana.id, tier: 'gold' },
        tags: ['vip', 'newsletter'],
      },
    });
    const hit = hub.hits[0];
    expect(hit).toMatchObject({ method: 'POST', path: '/crm/v3/objects/contacts/search', auth: `Bearer ${token}` });
    expect(hit.body).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ana@example.com' }] }],
      properties: ['email', 'phone', 'mobilephone', 'firstname', 'lastname', 'cauce_tags', 'lastmodifieddate', 'tier'],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
      limit: 1,
    });

    const byPhone = await crmLookup({ ctx, by: 'phone', value: '+34 600 999 888' });
    expect(byPhone.customer).toMatchObject({ email: 'luis@example.com', phone: '+34600999888', name: 'Luis', tags: [] });
    expect(hub.hits[1].body?.filterGroups).toEqual([
      { filters: [{ propertyName: 'phone', operator: 'EQ', value: '+34600999888' }] },
      { filters: [{ propertyName: 'mobilephone', operator: 'EQ', value: '+34600999888' }] },
    ]);
    expect((await crmLookup({ ctx, by: 'id', value: ana.id })).customer?.email).toBe('ana@example.com');
    expect(hub.hits[2].body?.filterGroups).toEqual([{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: ana.id }] }]);

    expect(await crmLookup({ ctx, by: 'email', value: 'nadie@example.com' })).toEqual({ found: false, customer: null });
    // Not a HubSpot id: no request at all.
    expect(await crmLookup({ ctx, by: 'id', value: 'shop-42' })).toEqual({ found: false, customer: null });
    expect(hub.hits).toHaveLength(4);
  });

  it('updates fields, custom properties and the tags property with PATCH', async () => {
    const c = hub.addContact({ email: 'marta@example.com', firstname: 'Marta', cauce_tags: 'newsletter;b2b' });
    const { crmUpdate } = crm();
    const out = await crmUpdate({
      ctx,
      customerId: c.id,
      fields: { name: 'Marta Ruiz Sanz', phone: '0034 611 222 333', tier: 'silver', lastPurchaseAt: '2025-11-01', email: '' },
      addTags: ['vip', 'newsletter'],
      removeTags: ['b2b'],
    });
    const patch = hub.hits.find((h) => h.method === 'PATCH')!;
    expect(patch.path).toBe(`/crm/v3/objects/contacts/${c.id}`);
    expect(patch.auth).toBe(`Bearer ${token}`);
    expect(patch.body).toEqual({
      properties: {
        tier: 'silver',
        lastpurchaseat: '2025-11-01',
        phone: '+34611222333',
        firstname: 'Marta',
        lastname: 'Ruiz Sanz',
        cauce_tags: 'newsletter;vip',
      },
    });
    expect(out.customer).toMatchObject({ id: c.id, email: 'marta@example.com', phone: '+34611222333', name: 'Marta Ruiz Sanz', tags: ['newsletter', 'vip'] });
    expect(out.customer.attributes).toMatchObject({ hubspotId: c.id, tier: 'silver', lastpurchaseat: '2025-11-01' });
    expect(hub.contacts.get(c.id)!.properties).toMatchObject({ cauce_tags: 'newsletter;vip', tier: 'silver' });

    // Removing every tag and clearing the name.
    await crmUpdate({ ctx, customerId: c.id, fields: { name: null }, removeTags: ['newsletter', 'vip'] });
    expect(hub.hits.filter((h) => h.method === 'PATCH')[1].body?.properties).toEqual({ firstname: '', lastname: '', cauce_tags: '' });
  });

  it('creates the contact for an unknown id with a custom id property, and finds it afterwards', async () => {
    const { crmUpdate, crmLookup } = crm({ idProperty: 'cauce_customer_id' });
    const first = await crmUpdate({ ctx, customerId: 'shop-77', fields: { email: 'pablo@example.com', name: 'Pablo' }, addTags: ['vip'] });
    expect(hub.hits.map((h) => `${h.method} ${h.path}`)).toEqual(['POST /crm/v3/objects/contacts/search', 'POST /crm/v3/objects/contacts']);
    expect(hub.hits[1].body).toEqual({
      properties: { email: 'pablo@example.com', firstname: 'Pablo', lastname: '', cauce_tags: 'vip', cauce_customer_id: 'shop-77' },
    });
    expect(first.customer).toMatchObject({ id: 'shop-77', email: 'pablo@example.com', tags: ['vip'] });
    const again = await crmUpdate({ ctx, customerId: 'shop-77', addTags: ['newsletter'] });
    expect(again.customer).toMatchObject({ id: 'shop-77', tags: ['vip', 'newsletter'] });
    expect(hub.hits.filter((h) => h.method === 'POST' && h.path === '/crm/v3/objects/contacts')).toHaveLength(1);
    expect((await crmLookup({ ctx, by: 'id', value: 'shop-77' })).customer?.email).toBe('pablo@example.com');

    // With HubSpot's own ids an unknown contact cannot be created.
    expect(await failure(crm().crmUpdate({ ctx, customerId: '999999', addTags: ['vip'] }))).toMatchObject({ nonRetryable: true, type: 'CrmNotFound' });
  });

  it('an email another contact has is a non-retryable CrmConflict; a tag that is no option of the property is CrmRejected', async () => {
    const c = hub.addContact({ email: 'eva@example.com' });
    const { crmUpdate } = crm();
    const err = await failure(crmUpdate({ ctx, customerId: c.id, fields: { email: 'ana@example.com' } }));
    expect(err).toMatchObject({ nonRetryable: true, type: 'CrmConflict' });
    const bad = await failure(crmUpdate({ ctx, customerId: c.id, addTags: ['no-such-option'] }));
    expect(bad).toMatchObject({ nonRetryable: true, type: 'CrmRejected' });
    expect(bad.message).toContain('no-such-option was not one of the allowed options');
  });

  it('opens a ticket associated to the contact, once per idempotency key', async () => {
    const { crmTicket } = crm();
    const key = `run-t:ticket:${Date.now()}`;
    const input = {
      ctx: { ...ctx, idempotencyKey: key },
      customerId: ana.id,
      subject: 'Reembolso pendiente',
      description: 'Pedido #1234',
      priority: 'high' as const,
    };
    const first = await crmTicket(input);
    expect(first).toEqual({ ticketId: expect.stringMatching(/^\d+$/), created: true });
    const create = hub.hits.find((h) => h.method === 'POST' && h.path === '/crm/v3/objects/tickets')!;
    expect(create.auth).toBe(`Bearer ${token}`);
    expect(create.body).toEqual({
      properties: {
        subject: 'Reembolso pendiente',
        content: 'Pedido #1234',
        hs_pipeline: '0',
        hs_pipeline_stage: '1',
        hs_ticket_priority: 'HIGH',
        cauce_idempotency_key: key,
      },
      associations: [{ to: { id: ana.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }] }],
    });
    expect(hub.hits[0]).toMatchObject({ method: 'POST', path: '/crm/v3/objects/tickets/search' });
    expect(hub.hits[0].body?.filterGroups).toEqual([{ filters: [{ propertyName: 'cauce_idempotency_key', operator: 'EQ', value: key }] }]);

    expect(await crmTicket(input)).toEqual({ ticketId: first.ticketId, created: false });

    // A retry before HubSpot's search index has the first ticket: the unique property's 409 names it.
    const lagged = { ...input, ctx: { ...ctx, idempotencyKey: `${key}:lag` } };
    const made = await crmTicket(lagged);
    hub.unindexed.add(made.ticketId);
    expect(await crmTicket(lagged)).toEqual({ ticketId: made.ticketId, created: false });
    expect([...hub.tickets.values()].filter((t) => t.properties.cauce_idempotency_key?.startsWith(key))).toHaveLength(2);

    // No customer: no association.
    await crmTicket({ ctx: { ...ctx, idempotencyKey: `${key}:anon` }, subject: 'Sin cliente', priority: 'normal' });
    const anon = hub.hits.filter((h) => h.method === 'POST' && h.path === '/crm/v3/objects/tickets').pop()!;
    expect(anon.body?.associations).toEqual([]);
    expect(values(anon.body).hs_ticket_priority).toBe('MEDIUM');
  });

  it('401 is non-retryable, 429 honours Retry-After, 5xx is retryable, a missing token secret fails before any request', async () => {
    const wrong = createCrmActivities({
      crm: createHubSpotCrm({ secrets: createEnvSecretResolver({ CAUCE_SECRET_HUBSPOT_TOKEN: 'pat-wrong' }), baseUrl: hub.base, allowPrivateNetworks: true }),
    });
    const auth = await failure(wrong.crmLookup({ ctx, by: 'email', value: 'ana@example.com' }));
    expect(auth).toMatchObject({ nonRetryable: true, type: 'CrmAuthFailed' });
    expect(auth.message).not.toContain('pat-wrong');

    hub.override(() => ({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' },
    }));
    expect(await failure(crm().crmLookup({ ctx, by: 'email', value: 'ana@example.com' }))).toMatchObject({
      nonRetryable: false,
      type: 'CrmRateLimited',
      nextRetryDelay: '2s',
    });
    hub.override(() => ({ status: 502, body: { status: 'error', message: 'Bad gateway' } }));
    expect(await failure(crm().crmLookup({ ctx, by: 'email', value: 'ana@example.com' }))).toMatchObject({ nonRetryable: false, type: 'CrmUnavailable' });

    hub.hits.length = 0;
    const none = createCrmActivities({ crm: createHubSpotCrm({ secrets: createEnvSecretResolver({}), baseUrl: hub.base, allowPrivateNetworks: true }) });
    expect(await failure(none.crmLookup({ ctx, by: 'email', value: 'ana@example.com' }))).toMatchObject({ nonRetryable: true, type: 'MissingSecret' });
    expect(hub.hits).toHaveLength(0);
    // Without the private-network allowance the local base URL is refused.
    const strict = createCrmActivities({ crm: createHubSpotCrm({ secrets, baseUrl: hub.base }) });
    expect(await failure(strict.crmLookup({ ctx, by: 'email', value: 'ana@example.com' }))).toMatchObject({ nonRetryable: true, type: 'HttpUrlRefused' });
  });

  it('createActivities uses it with CRM_PROVIDER=hubspot, the token read by secret name', async () => {
    const pool = new Pool({ connectionString: testInfra().databaseUrl, max: 1 });
    try {
      const a = createActivities({
        pool,
        env: {
          CRM_PROVIDER: 'hubspot',
          HUBSPOT_TOKEN_SECRET: 'crm-token',
          CAUCE_SECRET_CRM_TOKEN: token,
          HUBSPOT_BASE_URL: hub.base,
          HUBSPOT_ATTRIBUTE_PROPERTIES: 'tier',
          CAUCE_ALLOW_PRIVATE_NETWORKS: 'true',
        },
      });
      expect(await a.crmLookup({ ctx, by: 'email', value: 'ana@example.com' })).toMatchObject({
        found: true,
        customer: { id: ana.id, attributes: { tier: 'gold' } },
      });
      expect(hub.hits[0].auth).toBe(`Bearer ${token}`);
      expect(() => createActivities({ pool, env: { CRM_PROVIDER: 'salesforce' } })).toThrow(/CRM_PROVIDER/);
    } finally {
      await pool.end();
    }
  });
});
