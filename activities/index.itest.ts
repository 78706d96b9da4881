import { Pool } from 'pg';
import { testInfra, uniqueId } from '../test/infra';
import type { FlowActivities } from '../contracts/activities';
import { createActivities } from './index';

/** `createActivities({ pool })`, as the worker calls it: every activity, with the defaults. */
describe('createActivities with defaults', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('registers every FlowActivities name', () => {
    const activities = createActivities({ pool, env: {} });
    const names: (keyof FlowActivities)[] = [
      'loadFlowVersion',
      'recordRunEvents',
      'updateRunIndex',
      'aiClassify',
      'aiSentiment',
      'aiReply',
      'aiSummarize',
      'crmLookup',
      'crmUpdate',
      'crmTicket',
      'notify',
      'httpRequest',
      'scoreChurn',
    ];
    for (const name of names) expect(typeof activities[name]).toBe('function');
  });

  it('uses the PostgreSQL knowledge base and CRM, outbox-only notify and refuses private networks', async () => {
    const runId = uniqueId('run');
    const ctx = { runId, flowId: uniqueId('flow'), nodeId: 'n', idempotencyKey: `${runId}:n:1` };
    const collection = uniqueId('kb');
    await pool.query(`INSERT INTO knowledge_articles (collection, title, body) VALUES ($1, 'Métodos de pago', 'Aceptamos PayPal y Bizum.')`, [collection]);
    const a = createActivities({ pool, env: {} });

    expect((await a.aiReply({ ctx, question: '¿Aceptáis PayPal?', conversation: [], collection })).answer).toBe('Aceptamos PayPal y Bizum.');
    const customerId = uniqueId('cust');
    await a.crmUpdate({ ctx, customerId, addTags: ['vip'] });
    expect(await a.crmLookup({ ctx, by: 'id', value: customerId })).toMatchObject({ found: true, customer: { tags: ['vip'] } });
    expect(await a.notify({ ctx, channel: 'webhook', to: 'https://example.com/hook', text: 'x' })).toMatchObject({
      status: 'pending',
      reason: 'no provider configured for webhook',
    });
    await expect(a.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/' })).rejects.toMatchObject({ nonRetryable: true, type: 'HttpUrlRefused' });
    expect((await a.scoreChurn({ ctx, features: {} })).score).toBe(0.15);
  });

  it('turns the webhook provider on with CAUCE_WEBHOOK_SIGNING_SECRET (and honours CAUCE_ALLOW_PRIVATE_NETWORKS)', async () => {
    const runId = uniqueId('run');
    const ctx = { runId, flowId: uniqueId('flow'), nodeId: 'n', idempotencyKey: `${runId}:n:1` };
    const a = createActivities({ pool, env: { CAUCE_WEBHOOK_SIGNING_SECRET: 'whsec' } });
    // The provider is configured, so the notification is attempted (and refused: loopback).
    await expect(a.notify({ ctx, channel: 'webhook', to: 'http://127.0.0.1:1/hook', text: 'x' })).rejects.toMatchObject({ type: 'HttpUrlRefused' });
    const lenient = createActivities({ pool, env: { CAUCE_ALLOW_PRIVATE_NETWORKS: 'true' } });
    // Allowed, but nothing listens on port 1: a retryable connection failure.
    await expect(lenient.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/' })).rejects.toMatchObject({
      nonRetryable: false,
      type: 'HttpConnectionError',
    });
  });
});
