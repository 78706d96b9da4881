import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { createCrmActivities } from './crm.activities';
import { createPgCrm } from './pg-crm';

describe('CRM activities on PostgreSQL', () => {
  let pool: Pool;
  let crm: ReturnType<typeof createCrmActivities>;
  const ctxFor = (runId = uniqueId('run')) => ({ runId, flowId: uniqueId('flow'), nodeId: 'ticket', idempotencyKey: `${runId}:ticket:1` });

  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
    crm = createCrmActivities({ crm: createPgCrm(pool) });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('upserts a new customer, merges attributes and tags, and finds it by id, email and phone', async () => {
    const id = uniqueId('cust');
    const email = `${id}@Example.com`;
    const created = await crm.crmUpdate({
      ctx: ctxFor(),
      customerId: id,
      fields: { email, phone: '+34 600 111 222', name: 'Ana Pérez', plan: 'gold', visits: 3 },
      addTags: ['vip', 'es'],
    });
    expect(created.customer).toEqual({
      id,
      email: email.toLowerCase(),
      phone: '+34600111222',
      name: 'Ana Pérez',
      attributes: { plan: 'gold', visits: 3 },
      tags: ['vip', 'es'],
    });

    const updated = await crm.crmUpdate({
      ctx: ctxFor(),
      customerId: id,
      fields: { plan: null, segment: 'b2c', name: '' },
      addTags: ['churn-risk', 'vip'],
      removeTags: ['es'],
    });
    expect(updated.customer).toMatchObject({ name: 'Ana Pérez', attributes: { visits: 3, segment: 'b2c' }, tags: ['vip', 'churn-risk'] });
    expect(updated.customer.attributes).not.toHaveProperty('plan');

    expect(await crm.crmLookup({ ctx: ctxFor(), by: 'id', value: id })).toMatchObject({ found: true, customer: { id } });
    expect(await crm.crmLookup({ ctx: ctxFor(), by: 'email', value: email.toUpperCase() })).toMatchObject({ found: true, customer: { id } });
    expect(await crm.crmLookup({ ctx: ctxFor(), by: 'phone', value: '+34 600-111-222' })).toMatchObject({ found: true, customer: { id } });
    expect(await crm.crmLookup({ ctx: ctxFor(), by: 'id', value: uniqueId('nobody') })).toEqual({ found: false, customer: null });

    const { rows } = await pool.query('SELECT updated_at > created_at AS touched FROM customers WHERE id = $1', [id]);
    expect(rows[0].touched).toBe(true);
  });

  it('is idempotent on retry of the same update', async () => {
    const id = uniqueId('cust');
    const input = { ctx: ctxFor(), customerId: id, fields: { tier: 'silver' }, addTags: ['a', 'b'] };
    const first = await crm.crmUpdate(input);
    const second = await crm.crmUpdate(input);
    expect(second.customer).toEqual(first.customer);
  });

  it('refuses an email that belongs to another customer, non-retryably', async () => {
    const email = `${uniqueId('dup')}@example.com`;
    await crm.crmUpdate({ ctx: ctxFor(), customerId: uniqueId('cust'), fields: { email } });
    await expect(crm.crmUpdate({ ctx: ctxFor(), customerId: uniqueId('cust'), fields: { email: email.toUpperCase() } })).rejects.toMatchObject({
      nonRetryable: true,
      type: 'CrmConflict',
    });
  });

  it('opens one ticket per node visit: a retry returns the same ticket with created: false', async () => {
    const customerId = uniqueId('cust');
    const ctx = { ...ctxFor(), customerId };
    const first = await crm.crmTicket({ ctx, subject: 'Cobro duplicado', description: 'Pedido 1234', priority: 'urgent' });
    const retry = await crm.crmTicket({ ctx, subject: 'Cobro duplicado', description: 'Pedido 1234', priority: 'urgent' });
    expect(first.created).toBe(true);
    expect(retry).toEqual({ ticketId: first.ticketId, created: false });
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => crm.crmTicket({ ctx: { ...ctx, idempotencyKey: `${ctx.runId}:ticket:2` }, subject: 'Otra', priority: 'low' })),
    );
    expect(new Set(concurrent.map((c) => c.ticketId)).size).toBe(1);
    expect(concurrent.filter((c) => c.created)).toHaveLength(1);
    const { rows } = await pool.query('SELECT subject, priority, status, customer_id, run_id FROM tickets WHERE id = $1', [first.ticketId]);
    expect(rows[0]).toEqual({ subject: 'Cobro duplicado', priority: 'urgent', status: 'open', customer_id: customerId, run_id: ctx.runId });
  });
});
