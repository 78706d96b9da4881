import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { createNotifyActivities } from './notify.activities';
import { verifyWebhook } from './signing';
import { createWebhookProvider } from './webhook-provider';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real webhook receiver on 127.0.0.1; `respond` decides each answer's status. */
async function startReceiver() {
  const received: Received[] = [];
  let respond: () => number = () => 204;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = respond();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cauce`,
    received,
    setStatus: (status: number) => {
      respond = () => status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('notify: outbox and providers', () => {
  let pool: Pool;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const secret = 'whsec_integration';
  const ctxFor = () => {
    const runId = uniqueId('run');
    return { runId, flowId: uniqueId('flow'), nodeId: 'alert', idempotencyKey: `${runId}:alert:1` };
  };
  const row = async (id: string) => (await pool.query('SELECT * FROM outbox WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await pool?.end();
  });
  beforeEach(() => receiver.setStatus(204));

  it('without a provider, writes the outbox once and returns pending with the reason', async () => {
    const { notify } = createNotifyActivities({ pool });
    const ctx = ctxFor();
    const input = { ctx, channel: 'email' as const, to: 'equipo@example.com', subject: 'Escalado', text: 'Nuevo caso de Ana', purpose: 'escalation' };
    const first = await notify(input);
    expect(first).toEqual({ outboxId: expect.any(String), status: 'pending', reason: 'no provider configured for email' });
    const retry = await notify(input);
    expect(retry).toEqual(first);
    const { rows } = await pool.query('SELECT * FROM outbox WHERE idempotency_key = $1', [ctx.idempotencyKey]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      run_id: ctx.runId,
      flow_id: ctx.flowId,
      node_id: 'alert',
      channel: 'email',
      recipient: 'equipo@example.com',
      subject: 'Escalado',
      body: 'Nuevo caso de Ana',
      purpose: 'escalation',
      status: 'pending',
      reason: 'no provider configured for email',
      attempts: 0,
      sent_at: null,
    });
  });

  it('delivers through the webhook provider with a valid signature, once', async () => {
    const webhook = createWebhookProvider({ signingSecret: secret, allowPrivateNetworks: true });
    const { notify } = createNotifyActivities({ pool, providers: { webhook } });
    const ctx = ctxFor();
    const input = { ctx, channel: 'webhook' as const, to: receiver.url, text: 'Cliente VIP en riesgo', purpose: 'alert' };
    const before = receiver.received.length;
    const out = await notify(input);
    expect(out).toEqual({ outboxId: expect.any(String), status: 'sent' });

    const delivered = receiver.received.slice(before);
    expect(delivered).toHaveLength(1);
    expect(verifyWebhook(secret, delivered[0].headers, delivered[0].body)).toBe(true);
    expect(verifyWebhook('wrong-secret', delivered[0].headers, delivered[0].body)).toBe(false);
    expect(delivered[0].headers['x-cauce-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(delivered[0].headers['x-cauce-idempotency-key']).toBe(ctx.idempotencyKey);
    expect(JSON.parse(delivered[0].body)).toMatchObject({
      id: out.outboxId,
      idempotencyKey: ctx.idempotencyKey,
      channel: 'webhook',
      text: 'Cliente VIP en riesgo',
      purpose: 'alert',
      runId: ctx.runId,
      attempt: 1,
    });
    expect(await row(out.outboxId)).toMatchObject({ status: 'sent', reason: null, attempts: 1, sent_at: expect.any(Date) });

    // A retry of the same visit does not deliver again.
    expect(await notify(input)).toEqual(out);
    expect(receiver.received.length).toBe(before + 1);
  });

  describe('dispatchOutbox: what waited in the outbox', () => {
    /** Makes a row look untouched for `minutes` (the touch trigger would reset updated_at). */
    const age = async (id: string, minutes: number) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`SET LOCAL session_replication_role = replica`);
        await c.query(`UPDATE outbox SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutes]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };

    it('sends pending rows once a provider exists, skips fresh ones, and never sends twice', async () => {
      const ctx = ctxFor();
      const input = { ctx, channel: 'webhook' as const, to: receiver.url, text: 'Esperaba un proveedor', purpose: 'alert' };
      const queued = await createNotifyActivities({ pool }).notify(input);
      expect(queued.status).toBe('pending');

      const webhook = createWebhookProvider({ signingSecret: secret, allowPrivateNetworks: true });
      const { dispatchOutbox } = createNotifyActivities({ pool, providers: { webhook } });
      const before = receiver.received.length;
      // Touched a moment ago: the node's own activity may still be retrying it.
      expect((await dispatchOutbox()).results.map((r) => r.id)).not.toContain(queued.outboxId);

      await age(queued.outboxId, 5);
      const pass = await dispatchOutbox({ limit: 500 });
      expect(pass.results).toContainEqual({ id: queued.outboxId, status: 'sent' });
      const mine = receiver.received.slice(before).filter((r) => JSON.parse(r.body).id === queued.outboxId);
      expect(mine).toHaveLength(1);
      expect(verifyWebhook(secret, mine[0].headers, mine[0].body)).toBe(true);
      expect(mine[0].headers['x-cauce-idempotency-key']).toBe(ctx.idempotencyKey);
      expect(await row(queued.outboxId)).toMatchObject({ status: 'sent', reason: null, attempts: 1 });

      // Sent is final: neither a pass nor a resend by id sends it again, and the node's retry says sent.
      await age(queued.outboxId, 5);
      expect((await dispatchOutbox({ limit: 500 })).results.map((r) => r.id)).not.toContain(queued.outboxId);
      expect(await dispatchOutbox({ ids: [queued.outboxId] })).toEqual({ sent: 0, failed: 0, results: [{ id: queued.outboxId, status: 'sent' }] });
      expect(await createNotifyActivities({ pool, providers: { webhook } }).notify(input)).toEqual({ outboxId: queued.outboxId, status: 'sent' });
      expect(receiver.received.slice(before).filter((r) => JSON.parse(r.body).id === queued.outboxId)).toHaveLength(1);
    });

    it('resends a failed row by id and records each outcome without throwing', async () => {
      const webhook = createWebhookProvider({ signingSecret: secret, allowPrivateNetworks: true });
      const acts = createNotifyActivities({ pool, providers: { webhook } });
      const input = { ctx: ctxFor(), channel: 'webhook' as const, to: receiver.url, text: 'Reintento manual' };
      receiver.setStatus(500);
      await expect(acts.notify(input)).rejects.toMatchObject({ type: 'NotifyDeliveryFailed' });
      const id = (await pool.query('SELECT id::text FROM outbox WHERE idempotency_key = $1', [input.ctx.idempotencyKey])).rows[0].id;

      // Still failing: recorded on the row and in the result, not thrown.
      const again = await acts.dispatchOutbox({ ids: [id] });
      expect(again).toEqual({ sent: 0, failed: 1, results: [{ id, status: 'failed', reason: expect.stringContaining('HTTP 500') }] });
      expect(await row(id)).toMatchObject({ status: 'failed', attempts: 2 });

      receiver.setStatus(204);
      expect(await acts.dispatchOutbox({ ids: [id] })).toEqual({ sent: 1, failed: 0, results: [{ id, status: 'sent' }] });
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, reason: null });

      // An unknown id, and a row whose channel still has no provider.
      const email = await acts.notify({ ctx: ctxFor(), channel: 'email', to: 'a@example.com', text: 'x' });
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await acts.dispatchOutbox({ ids: [unknown, email.outboxId] })).results).toEqual([
        { id: unknown, status: 'not_found' },
        { id: email.outboxId, status: 'pending', reason: 'no provider configured for email' },
      ]);
    });
  });

  it('marks a failed delivery and throws retryably; the retry delivers', async () => {
    const webhook = createWebhookProvider({ signingSecret: secret, allowPrivateNetworks: true });
    const { notify } = createNotifyActivities({ pool, providers: { webhook } });
    const input = { ctx: ctxFor(), channel: 'webhook' as const, to: receiver.url, text: 'Alerta' };
    receiver.setStatus(503);
    await expect(notify(input)).rejects.toMatchObject({ nonRetryable: false, type: 'NotifyDeliveryFailed', message: expect.stringContaining('HTTP 503') });
    const { rows } = await pool.query('SELECT * FROM outbox WHERE idempotency_key = $1', [input.ctx.idempotencyKey]);
    expect(rows[0]).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringContaining('HTTP 503') });

    receiver.setStatus(200);
    const out = await notify(input);
    expect(out.status).toBe('sent');
    expect(await row(out.outboxId)).toMatchObject({ status: 'sent', attempts: 2, reason: null });
  });

  it('fails non-retryably when the receiver rejects the payload or the URL is refused', async () => {
    const strict = createWebhookProvider({ signingSecret: secret });
    const { notify } = createNotifyActivities({ pool, providers: { webhook: strict } });
    const refused = { ctx: ctxFor(), channel: 'webhook' as const, to: receiver.url, text: 'x' };
    await expect(notify(refused)).rejects.toMatchObject({ nonRetryable: true, type: 'HttpUrlRefused' });
    const { rows } = await pool.query('SELECT status, reason FROM outbox WHERE idempotency_key = $1', [refused.ctx.idempotencyKey]);
    expect(rows[0]).toEqual({ status: 'failed', reason: expect.stringMatching(/loopback/) });

    const lenient = createNotifyActivities({ pool, providers: { webhook: createWebhookProvider({ signingSecret: secret, allowPrivateNetworks: true }) } });
    receiver.setStatus(400);
    await expect(lenient.notify({ ctx: ctxFor(), channel: 'webhook', to: receiver.url, text: 'x' })).rejects.toMatchObject({ nonRetryable: true });
  });

  it('rejects invalid input before writing anything', async () => {
    const { notify } = createNotifyActivities({ pool });
    const ctx = ctxFor();
    await expect(notify({ ctx, channel: 'pigeon' as never, to: 'x', text: 'y' })).rejects.toMatchObject({ nonRetryable: true });
    await expect(notify({ ctx, channel: 'sms', to: ' ', text: 'y' })).rejects.toMatchObject({ nonRetryable: true });
    const { rows } = await pool.query('SELECT 1 FROM outbox WHERE idempotency_key = $1', [ctx.idempotencyKey]);
    expect(rows).toHaveLength(0);
  });
});
