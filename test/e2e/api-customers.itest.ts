/* eslint-disable @typescript-eslint/no-explicit-any */
// The built-in CRM's customers over HTTP against the real API and PostgreSQL: create and replace
// by PUT, read, normalisation shared with the crm.* activities, validation naming the field, the
// unique email, audit entries without personal data, and who may read and write.
import { createPgCrm } from '../../activities/crm/pg-crm';
import { uniqueId } from '../infra';
import { ApiHarness } from './api-harness';

describe('API: customers (real API and PostgreSQL)', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: false }), 90_000);
  afterAll(() => h.teardown());

  it('creates and replaces a customer by PUT and reads it back', async () => {
    const id = uniqueId('cust');
    const email = `${id}@Example.COM`;
    const created = await h.put(
      `/api/customers/${id}`,
      {
        name: ' Ana Pérez ',
        email,
        phone: '+34 600-123 456',
        attributes: { plan: 'pro', ltv: 1200 },
        tags: ['vip', 'vip', ' es '],
      },
      'system',
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id,
      created: true,
      name: 'Ana Pérez',
      email: email.toLowerCase(),
      phone: '+34600123456',
      attributes: { plan: 'pro', ltv: 1200 },
      tags: ['vip', 'es'],
    });

    for (const role of ['system', 'editor', 'operator', 'admin'] as const) {
      const read = await h.get(`/api/customers/${id}`, role);
      expect([role, read.status]).toEqual([role, 200]);
      const { created: _created, ...customer } = created.body;
      expect(read.body).toEqual(customer);
    }

    // The crm.* activities see what the API stored (lookup by email is case-insensitive).
    const crm = createPgCrm(h.pool);
    expect(await crm.lookup('email', email.toUpperCase())).toMatchObject({ id, phone: '+34600123456' });

    // PUT replaces: omitted fields become empty.
    const replaced = await h.put(`/api/customers/${id}`, { name: 'Ana P.', tags: ['churn-risk'] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, created: false, name: 'Ana P.', email: null, phone: null, attributes: {}, tags: ['churn-risk'] });
    expect((await h.get(`/api/customers/${id}`, 'operator')).body).toMatchObject({ name: 'Ana P.', email: null });

    // The audit log names the fields changed, never their values.
    const audit = (await h.get(`/api/audit?targetId=${id}`)).body.items;
    expect(audit.map((e: any) => [e.action, e.actorRole, e.targetType, e.details])).toEqual([
      ['customer.updated', 'admin', 'customer', { changed: ['name', 'email', 'phone', 'attributes', 'tags'] }],
      ['customer.created', 'system', 'customer', { changed: ['name', 'email', 'phone', 'attributes', 'tags'] }],
    ]);
    expect(JSON.stringify(audit)).not.toContain('Ana');
  });

  it('validates every field and names it', async () => {
    const id = uniqueId('cust');
    const badEmail = await h.put(`/api/customers/${id}`, { email: 'ana@' }, 'system');
    expect(badEmail.status).toBe(400);
    expect(badEmail.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'email must be an email address such as ana@example.com' });

    const bad = await h.put(`/api/customers/${id}`, { name: 7, phone: 'call me', attributes: ['x'], tags: ['ok', ''], plan: 'pro' }, 'system');
    expect(bad.status).toBe(400);
    for (const m of [
      'property plan should not exist',
      'name must be a string',
      'phone must be a phone number',
      'attributes must be an object',
      'tags must be strings of 1 to 64 characters',
    ]) {
      expect(bad.body.message).toContain(m);
    }
    expect(bad.body.details).toEqual(expect.arrayContaining([expect.stringContaining('phone')]));
    const longId = await h.get(`/api/customers/${'x'.repeat(201)}`, 'system');
    expect(longId.body).toMatchObject({ statusCode: 400, message: 'id must be a customer id of 1 to 200 characters without control characters' });
    const huge = await h.put(`/api/customers/${id}`, { attributes: { blob: 'x'.repeat(70 * 1024) } }, 'system');
    expect(huge.body.message).toContain('attributes must be at most 65536 bytes as JSON');
    // Nothing was written by the refused requests.
    expect((await h.get(`/api/customers/${id}`, 'system')).body).toEqual({ statusCode: 404, error: 'Not Found', message: `Customer ${id} not found` });
  });

  it('refuses an email that belongs to another customer with 409 naming email', async () => {
    const a = uniqueId('cust');
    const b = uniqueId('cust');
    const email = `${a}@example.com`;
    expect((await h.put(`/api/customers/${a}`, { email }, 'system')).status).toBe(201);
    const clash = await h.put(`/api/customers/${b}`, { email: email.toUpperCase() }, 'system');
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { field: 'email' } });
    expect(clash.body.message).toContain('email');
    expect((await h.get(`/api/customers/${b}`, 'system')).status).toBe(404);
  });

  it('lets system and admin write, and system, editor and operator read', async () => {
    const id = uniqueId('cust');
    for (const role of ['editor', 'operator'] as const) {
      const res = await h.put(`/api/customers/${id}`, { name: 'X' }, role);
      expect([role, res.status]).toEqual([role, 403]);
      expect(res.body.message).toContain(`requires one of the roles system, admin; this key has the role ${role}`);
    }
    expect((await h.put(`/api/customers/${id}`, { name: 'X' }, null)).status).toBe(401);
    expect((await h.get(`/api/customers/${id}`, null)).status).toBe(401);
    expect((await h.put(`/api/customers/${id}`, { name: 'X' }, 'admin')).status).toBe(201);
  });
});
