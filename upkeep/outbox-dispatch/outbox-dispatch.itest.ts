// The outbox dispatch's activity on a real PostgreSQL, with a real webhook receiver: what a notify
// node left pending is sent once a provider exists, never twice, and an operator's resend by id
// records each outcome. (The schedule and the API's resend: test/e2e/api-outbox.itest.ts.)
import { Pool } from 'pg';
import { createNotifyActivities } from '../../activities/notify/notify.activities';
import { verifyWebhook } from '../../activities/notify/signing';
import { createWebhookProvider } from '../../activities/notify/webhook-provider';
import { outboxFixture, type WebhookReceiver } from '../../test/outbox-fixture';
import { createOutboxDispatchActivities } from './outbox-dispatch.activities';

describe('outbox dispatch: what waited in the outbox', () => {
  let pool: Pool;
  let receiver: WebhookReceiver;
  const { secret, ctxFor, row } = outboxFixture((p, r) => {
    pool = p;
    receiver = r;
  });

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
    const { dispatchOutbox } = createOutboxDispatchActivities({ pool, providers: { webhook } });
    const before = receiver.received.length;
    // Touched a moment ago: the node's own activity may still be retrying it.
    expect((await dispatchOutbox({})).results.map((r) => r.id)).not.toContain(queued.outboxId);

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
    const acts = { ...createNotifyActivities({ pool, providers: { webhook } }), ...createOutboxDispatchActivities({ pool, providers: { webhook } }) };
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
