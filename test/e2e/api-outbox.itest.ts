/* eslint-disable @typescript-eslint/no-explicit-any */
// The notification outbox over HTTP against the real API, PostgreSQL, Temporal and a real worker:
// a notify node with no provider configured leaves its notification pending with the reason;
// listing newest first with filters and cursors; who may read it.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiHarness, flow } from './api-harness';
import { uniqueId } from '../infra';
import { ensureOutboxSchedule } from '../../upkeep/outbox-dispatch/schedule';

/** A real webhook receiver on 127.0.0.1 answering `status` (changeable), recording what it got. */
async function webhookReceiver() {
  const received: any[] = [];
  let status = 204;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    answer: (s: number) => (status = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('API: outbox (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    // No email provider for this worker, whatever the developer's environment says; a webhook one
    // that may call 127.0.0.1 (the receiver below).
    delete process.env.SMTP_URL;
    process.env.CAUCE_WEBHOOK_SIGNING_SECRET = 'whsec_outbox_e2e';
    process.env.CAUCE_ALLOW_PRIVATE_NETWORKS = 'true';
    receiver = await webhookReceiver();
    return h.setup({ worker: true });
  }, 90_000);
  afterAll(async () => {
    await h.teardown();
    await receiver?.close();
    delete process.env.CAUCE_WEBHOOK_SIGNING_SECRET;
    delete process.env.CAUCE_ALLOW_PRIVATE_NETWORKS;
  });

  it('resends a failed notification through the worker and says what happened; never twice', async () => {
    // A webhook notification whose delivery failed earlier (the node's own retries gave up).
    const { rows } = await h.pool.query(
      `INSERT INTO outbox (run_id, node_id, idempotency_key, channel, recipient, body, status, reason, attempts)
       VALUES ($1, 'tell', $2, 'webhook', $3, 'Caso de Ana', 'failed', 'webhook: HTTP 500', 3) RETURNING id::text AS id, attempts`,
      [`run-${randomUUID()}`, uniqueId('idem'), receiver.url],
    );
    const failed = rows[0];
    const tries = failed.attempts;
    receiver.answer(500);

    // Still failing: the answer says so, with the provider's reason, and counts the attempt.
    const again = await h.post(`/api/outbox/${failed.id}/resend`, undefined, 'operator');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('500'),
      notification: { id: failed.id, status: 'failed', attempts: tries + 1 },
    });

    receiver.answer(204);
    const before = receiver.received.length;
    const sent = await h.post(`/api/outbox/${failed.id}/resend`, undefined, 'editor');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      outcome: 'sent',
      reason: null,
      notification: { status: 'sent', reason: null, attempts: tries + 2, sentAt: expect.any(String) },
    });
    expect(receiver.received.slice(before)).toEqual([expect.objectContaining({ id: failed.id, text: 'Caso de Ana', channel: 'webhook' })]);

    const twice = await h.post(`/api/outbox/${failed.id}/resend`, undefined, 'operator');
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('was already sent');
    expect(receiver.received.length).toBe(before + 1);

    // Each resend that reached the worker is in the audit log, with who asked and what happened.
    const audit = await h.get(`/api/audit?action=notification.resent&targetId=${failed.id}`, 'admin');
    expect(audit.body.items.map((e: any) => [e.actorRole, e.details.outcome])).toEqual([
      ['editor', 'sent'],
      ['operator', 'failed'],
    ]);
  });

  it('the outbox schedule sends a pending notification through the worker', async () => {
    const { rows } = await h.pool.query(
      `INSERT INTO outbox (run_id, node_id, idempotency_key, channel, recipient, body, status, reason, updated_at)
       VALUES ($1, 'tell', $2, 'webhook', $3, 'Esperaba proveedor', 'pending', 'no provider configured for webhook', now() - interval '10 minutes')
       RETURNING id::text AS id`,
      [`run-${randomUUID()}`, uniqueId('idem'), receiver.url],
    );
    receiver.answer(204);
    // The real Schedule, every second, limited to this row (the unscoped pass is tested in notify.itest.ts).
    const scheduleId = uniqueId('outbox-schedule');
    expect(await ensureOutboxSchedule(h.temporal, h.taskQueue, '1s', { scheduleId, input: { ids: [rows[0].id] } })).toBe('created');
    expect(await ensureOutboxSchedule(h.temporal, h.taskQueue, '1s', { scheduleId, input: { ids: [rows[0].id] } })).toBe('unchanged');
    try {
      const sent = await h.eventually(async () => {
        const res = await h.get(`/api/outbox/${rows[0].id}`, 'operator');
        return res.body.status === 'sent' && res.body;
      }, 20_000);
      expect(sent).toMatchObject({ reason: null, attempts: 1 });
      expect(receiver.received.filter((r) => r.id === rows[0].id)).toHaveLength(1);
    } finally {
      await h.temporal.schedule.getHandle(scheduleId).delete();
    }
  });

  it('answers pending for a channel that still has no provider, 404 for an unknown one, 403 for system keys', async () => {
    const runId = `run-${randomUUID()}`;
    const { rows } = await h.pool.query(
      `INSERT INTO outbox (run_id, node_id, idempotency_key, channel, recipient, body, status, reason)
       VALUES ($1, 'n', $2, 'sms', '+34600000000', 'hola', 'pending', 'no provider configured for sms') RETURNING id::text`,
      [runId, uniqueId('idem')],
    );
    const res = await h.post(`/api/outbox/${rows[0].id}/resend`, undefined, 'operator');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'pending', reason: 'no provider configured for sms', notification: { status: 'pending', attempts: 0 } });
    const missing = randomUUID();
    expect((await h.post(`/api/outbox/${missing}/resend`, undefined, 'operator')).status).toBe(404);
    expect((await h.post(`/api/outbox/${rows[0].id}/resend`, undefined, 'system')).status).toBe(403);
  });

  it('lists the notification of a notify node that ran with no provider: pending, with the reason', async () => {
    const flowId = await h.publishedFlow(
      'Aviso al equipo',
      flow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['tell', 'notify', { channel: 'email', to: 'equipo@example.com', subject: 'Caso de {{ input.name }}', text: 'Nuevo caso de {{ input.name }}' }],
          ['end', 'end', { outcome: 'resolved' }],
          ['failed', 'end', { outcome: 'abandoned' }],
        ],
        [
          ['start', 'next', 'tell'],
          ['tell', 'next', 'end'],
          ['tell', 'error', 'failed'],
        ],
      ),
    );
    const started = await h.post(`/api/flows/${flowId}/runs`, { input: { name: 'Ana' }, customerId: 'c-outbox' }, 'system');
    expect(started.status).toBe(201);
    const runId = started.body.runId;

    const page = await h.eventually(async () => {
      const res = await h.get(`/api/outbox?runId=${runId}`, 'operator');
      return res.body.items?.length === 1 && res.body;
    });
    const item = page.items[0];
    expect(item).toMatchObject({
      status: 'pending',
      reason: 'no provider configured for email',
      channel: 'email',
      recipient: 'equipo@example.com',
      subject: 'Caso de Ana',
      body: 'Nuevo caso de Ana',
      attempts: 0,
      runId,
      flowId,
      nodeId: 'tell',
      sentAt: null,
    });
    expect(page.nextCursor).toBeNull();
    // The node took `next`: a pending notification is not an error.
    const run = await h.eventually(async () => {
      const r = await h.get(`/api/runs/${runId}`, 'system');
      return r.body.status === 'completed' && r.body;
    });
    expect(run.outcome).toBe('resolved');

    expect((await h.get(`/api/outbox/${item.id}`, 'editor')).body).toEqual(item);
    expect((await h.get(`/api/outbox?status=pending&channel=email&runId=${runId}`)).body.items.map((i: any) => i.id)).toEqual([item.id]);
    expect((await h.get(`/api/outbox?status=sent&runId=${runId}`, 'operator')).body.items).toEqual([]);
  });

  it('lists sent, failed and pending notifications newest first, filtered and paged by cursor', async () => {
    const runId = `run-${randomUUID()}`;
    const insert = (status: string, reason: string | null, channel: string, at: string) =>
      h.pool.query(
        `INSERT INTO outbox (run_id, flow_id, node_id, idempotency_key, channel, recipient, body, status, reason, attempts, created_at, sent_at)
         VALUES ($1, NULL, 'n', $2, $3, 'x@example.com', 'hola', $4, $5, $6, $7, CASE WHEN $4 = 'sent' THEN $7::timestamptz END)`,
        [runId, uniqueId('idem'), channel, status, reason, status === 'pending' ? 0 : 1, at],
      );
    await insert('sent', null, 'slack', '2030-01-01T10:00:00.000001Z');
    await insert('failed', 'slack: 500 Internal Server Error', 'slack', '2030-01-01T10:00:00.000002Z');
    await insert('pending', 'no provider configured for sms', 'sms', '2030-01-01T10:00:00.000003Z');

    const all = await h.get(`/api/outbox?runId=${runId}`, 'operator');
    expect(all.body.items.map((i: any) => [i.status, i.reason])).toEqual([
      ['pending', 'no provider configured for sms'],
      ['failed', 'slack: 500 Internal Server Error'],
      ['sent', null],
    ]);
    expect(all.body.items[2].sentAt).toBe('2030-01-01T10:00:00.000Z');

    // Rows a microsecond apart page without skipping or repeating.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await h.get(`/api/outbox?runId=${runId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'editor');
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: any) => i.status));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['pending', 'failed', 'sent']);

    expect((await h.get(`/api/outbox?runId=${runId}&status=failed`, 'operator')).body.items.map((i: any) => i.channel)).toEqual(['slack']);
    expect((await h.get(`/api/outbox?runId=${runId}&channel=slack`, 'operator')).body.items.map((i: any) => i.status)).toEqual(['failed', 'sent']);
  });

  it('validates filters and ids, naming the field', async () => {
    const bad = await h.get('/api/outbox?status=lost&channel=fax&runId=abc&limit=500', 'operator');
    expect(bad.status).toBe(400);
    for (const m of [
      'status must be one of pending, sent, failed',
      'channel must be one of email, sms, slack, webhook, whatsapp',
      'runId must be a run id',
      'limit must be at most 200',
    ]) {
      expect(bad.body.message).toContain(m);
    }
    expect((await h.get('/api/outbox/123', 'operator')).body).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
    const missing = randomUUID();
    expect((await h.get(`/api/outbox/${missing}`, 'operator')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Notification ${missing} not found`,
    });
  });

  it('refuses system keys (and no key) on the outbox routes', async () => {
    for (const path of ['/api/outbox', `/api/outbox/${randomUUID()}`]) {
      const res = await h.get(path, 'system');
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('requires one of the roles editor, operator, admin; this key has the role system');
      expect((await h.get(path, null)).status).toBe(401);
    }
  });
});
