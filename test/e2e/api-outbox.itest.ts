/* eslint-disable @typescript-eslint/no-explicit-any */
// The notification outbox over HTTP against the real API, PostgreSQL, Temporal and a real worker:
// a notify node with no provider configured leaves its notification pending with the reason;
// listing newest first with filters and cursors; who may read it.
import { randomUUID } from 'node:crypto';
import { ApiHarness, flow } from './api-harness';
import { uniqueId } from '../infra';

describe('API: outbox (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  beforeAll(() => {
    // No email provider for this worker, whatever the developer's environment says.
    delete process.env.SMTP_URL;
    return h.setup({ worker: true });
  }, 90_000);
  afterAll(() => h.teardown());

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
    for (const m of ['status must be one of pending, sent, failed', 'channel must be one of email, sms, slack, webhook, whatsapp', 'runId must be a run id', 'limit must be at most 200']) {
      expect(bad.body.message).toContain(m);
    }
    expect((await h.get('/api/outbox/123', 'operator')).body).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
    const missing = randomUUID();
    expect((await h.get(`/api/outbox/${missing}`, 'operator')).body).toEqual({ statusCode: 404, error: 'Not Found', message: `Notification ${missing} not found` });
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
