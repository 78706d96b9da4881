import { Pool } from 'pg';
import { outboxFixture, type WebhookReceiver } from '../../test/outbox-fixture';
import { createNotifyActivities } from './notify.activities';
import { verifyWebhook } from './signing';
import { createWebhookProvider } from './webhook-provider';

describe('notify: outbox and providers', () => {
  let pool: Pool;
  let receiver: WebhookReceiver;
  const { secret, ctxFor, row } = outboxFixture((p, r) => {
    pool = p;
    receiver = r;
  });

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
