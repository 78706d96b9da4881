// Hostile request bodies against the real API, worker, Temporal and PostgreSQL: NUL characters and
// lone surrogates anywhere (body, query, path), JSON nested 2,000 levels deep, oversized and
// flooding business events, and a run terminated from outside read back consistently.
import { createRunsReconcilerActivities } from '../../upkeep/runs-reconciler/runs-reconciler.activities';
import { MAX_JSON_DEPTH } from '../../apps/api/common/payload-guard';
import { EVENTS_PER_MINUTE, MAX_EVENT_DATA_BYTES } from '../../apps/api/events/event-limits';
import { uniqueId } from '../infra';
import { ApiHarness, flow } from './api-harness';

const chat = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola' }],
    ['topic', 'ask', { text: '¿En qué te ayudo?', variable: 'topic' }],
    ['noted', 'message', { text: 'Anotado: {{ vars.topic }}' }],
    ['more', 'ask', { text: '¿Algo más?', variable: 'more' }],
    ['end', 'end', { outcome: 'resolved' }],
  ],
  [
    ['start', 'next', 'hi'],
    ['hi', 'next', 'topic'],
    ['topic', 'reply', 'noted'],
    ['noted', 'next', 'more'],
    ['more', 'reply', 'end'],
  ],
);

/** `{"a":{"a":...1...}}` as raw JSON text, `levels` deep: built as a string, as an attacker sends it. */
const deepJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('API: hostile payloads (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  let flowId: string;
  beforeAll(async () => {
    await h.setup({ worker: true });
    flowId = await h.publishedFlow('Conversación', chat);
  }, 90_000);
  afterAll(() => h.teardown());

  const startRun = async (customerId = uniqueId('c')) => {
    const res = await h.post(`/api/flows/${flowId}/runs`, { customerId }, 'system');
    expect(res.status).toBe(201);
    return res.body.runId as string;
  };
  const runEvents = async (runId: string) =>
    (await h.pool.query(`SELECT seq, type, data FROM run_events WHERE run_id = $1 ORDER BY seq`, [runId])).rows as {
      seq: number;
      type: string;
      data: Record<string, unknown>;
    }[];

  describe('NUL characters and lone surrogates', () => {
    it('a customer message with a NUL is refused naming text; the run takes the next message and records all its events', async () => {
      const runId = await startRun();
      const bad = await h.post(`/api/runs/${runId}/messages`, { text: 'hi\u0000there', id: 'm-1' }, 'system');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'text must not contain the NUL character (\\u0000)',
        details: { field: 'text', location: 'body', problem: 'nul' },
      });
      // The same message id, clean, is a new message: the refused one never reached the run.
      expect((await h.post(`/api/runs/${runId}/messages`, { text: 'hi there', id: 'm-1' }, 'system')).status).toBe(200);
      const done = await h.post(`/api/runs/${runId}/messages`, { text: 'nada más', id: 'm-2' }, 'system');
      expect(done.body).toMatchObject({ status: 'completed', outcome: 'resolved' });
      const events = await h.eventually(async () => {
        const e = await runEvents(runId);
        return e.some((x) => x.type === 'run.finished') && e;
      });
      expect(events[0].type).toBe('run.started');
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    });

    it('a lone surrogate (half an emoji) is refused too; a whole emoji is fine', async () => {
      const runId = await startRun();
      const bad = await h.request('POST', `/api/runs/${runId}/messages`, { key: 'system', raw: '{"text":"roto \\ud83d"}' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe('text must be well-formed Unicode (it has a lone UTF-16 surrogate)');
      expect((await h.post(`/api/runs/${runId}/messages`, { text: 'bien 😀' }, 'system')).status).toBe(200);
    });

    it('a NUL in a node label (PUT /flows/:id) is refused naming the node; the draft is unchanged', async () => {
      const created = await h.post('/api/flows', { name: 'Etiquetas', definition: chat }, 'editor');
      expect(created.status).toBe(201);
      const definition = structuredClone(chat);
      (definition.nodes[3].data as Record<string, unknown>).label = 'Anotado\u0000';
      const res = await h.put(`/api/flows/${created.body.id}`, { name: 'Etiquetas', definition }, 'editor');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('definition.nodes[3].data.label must not contain the NUL character (\\u0000)');
      expect(res.body.details).toMatchObject({ field: 'definition.nodes[3].data.label' });
      const draft = await h.get(`/api/flows/${created.body.id}`, 'editor');
      expect(draft.body.draft.nodes[3].data.label).toBeUndefined();
    });

    it('a NUL in a knowledge article, in customer attributes (value or key), in a query or a path parameter is a 400 naming it', async () => {
      const article = await h.post('/api/knowledge', { collection: uniqueId('kb'), title: 'Pagos', body: 'Aceptamos\u0000 Bizum' }, 'editor');
      expect(article.status).toBe(400);
      expect(article.body.message).toBe('body must not contain the NUL character (\\u0000)');

      const customerId = uniqueId('cust');
      const attr = await h.put(`/api/customers/${customerId}`, { name: 'Ana', attributes: { note: 'vip\u0000' } }, 'system');
      expect(attr.status).toBe(400);
      expect(attr.body.details).toEqual({ field: 'attributes.note', location: 'body', problem: 'nul' });
      const key = await h.put(`/api/customers/${customerId}`, { attributes: { 'no\u0000te': 1 } }, 'system');
      expect(key.status).toBe(400);
      expect(key.body.details.field).toBe('attributes["no\\u0000te"]');
      expect((await h.get(`/api/customers/${customerId}`, 'system')).status).toBe(404);

      const query = await h.get('/api/knowledge?q=pa%00gos', 'editor');
      expect(query.status).toBe(400);
      expect(query.body.message).toBe('query parameter q must not contain the NUL character (\\u0000)');

      const path = await h.get('/api/customers/cust%00-1', 'system');
      expect(path.status).toBe(400);
      expect(path.body.message).toBe('path parameter id must not contain the NUL character (\\u0000)');

      const markdown = await h.request('POST', `/api/knowledge/import?collection=${uniqueId('kb')}`, {
        key: 'editor',
        raw: '# Pagos\nAceptamos\u0000 Bizum',
        headers: { 'content-type': 'text/markdown' },
      });
      expect(markdown.status).toBe(400);
      expect(markdown.body.message).toBe('body must not contain the NUL character (\\u0000)');
    });
  });

  describe('JSON nested 2,000 levels deep', () => {
    it('is a 400 naming where, on POST /flows, POST /events and POST /runs/:id/events; the API keeps answering', async () => {
      const runId = await startRun();
      const cases: [string, string, string][] = [
        ['/api/flows', `{"name":"hondo","definition":${deepJson(2000)}}`, 'editor'],
        ['/api/events', `{"type":"purchase.completed","customerId":"c-1","data":${deepJson(2000)}}`, 'system'],
        [`/api/runs/${runId}/events`, `{"type":"purchase.completed","data":${deepJson(2000)}}`, 'system'],
      ];
      for (const [route, raw, key] of cases) {
        const res = await h.request('POST', route, { key, raw });
        expect([route, res.status]).toEqual([route, 400]);
        expect(res.body.message).toMatch(new RegExp(`^The request body is nested deeper than ${MAX_JSON_DEPTH} levels at (definition|data)\\.a\\.a`));
        expect(res.body.details).toMatchObject({ location: 'body', problem: 'depth', maxDepth: MAX_JSON_DEPTH });
      }
      // The limit leaves room: 60 levels of event data are accepted.
      expect(
        (await h.request('POST', `/api/runs/${runId}/events`, { key: 'system', raw: `{"type":"purchase.completed","data":${deepJson(60)}}` })).status,
      ).toBe(202);
      expect((await h.get(`/api/runs/${runId}`, 'system')).status).toBe(200);
    });
  });

  describe('business event limits', () => {
    it(`refuses event data over ${MAX_EVENT_DATA_BYTES} bytes with 413 naming data, on both routes; accepts it at the limit`, async () => {
      const runId = await startRun();
      const blob = (bytes: number) => ({ blob: 'x'.repeat(bytes - '{"blob":""}'.length) });
      for (const [route, body] of [
        [`/api/runs/${runId}/events`, { type: 'purchase.completed', data: blob(MAX_EVENT_DATA_BYTES + 1) }],
        ['/api/events', { type: 'purchase.completed', customerId: uniqueId('c'), data: blob(MAX_EVENT_DATA_BYTES + 1) }],
      ] as const) {
        const res = await h.post(route, body, 'system');
        expect([route, res.status]).toEqual([route, 413]);
        expect(res.body).toMatchObject({
          error: 'Payload Too Large',
          details: { field: 'data', bytes: MAX_EVENT_DATA_BYTES + 1, limit: MAX_EVENT_DATA_BYTES },
        });
        expect(res.body.message).toMatch(/^data is \d+ bytes as JSON/);
      }
      expect((await h.post(`/api/runs/${runId}/events`, { type: 'purchase.completed', data: blob(MAX_EVENT_DATA_BYTES) }, 'system')).status).toBe(202);
    });

    it(`takes ${EVENTS_PER_MINUTE} events a minute per run, then 429 with Retry-After; other runs are not affected`, async () => {
      const [flooded, other] = [await startRun(), await startRun()];
      // The bucket refills one event a second: sent one after another, a few more pass than the burst.
      const started = Date.now();
      let accepted = 0;
      let last;
      for (let i = 0; i < 3 * EVENTS_PER_MINUTE; i++) {
        last = await h.post(`/api/runs/${flooded}/events`, { type: 'page.viewed', data: { i } }, 'system');
        if (last.status !== 202) break;
        accepted++;
      }
      const refill = Math.ceil((Date.now() - started) / 1000);
      expect(accepted).toBeGreaterThanOrEqual(EVENTS_PER_MINUTE);
      expect(accepted).toBeLessThanOrEqual(EVENTS_PER_MINUTE + refill);
      expect(last!.status).toBe(429);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last!.body.message).toMatch(new RegExp(`^Event rate limit of ${EVENTS_PER_MINUTE} events a minute exceeded for run ${flooded}`));
      expect((await h.post(`/api/runs/${other}/events`, { type: 'page.viewed' }, 'system')).status).toBe(202);
      // Chat turns are not events: the flooded run still answers its customer.
      expect((await h.post(`/api/runs/${flooded}/messages`, { text: 'sigo aquí' }, 'system')).status).toBe(200);
    });

    it(`takes ${EVENTS_PER_MINUTE} POST /events a minute per customer`, async () => {
      const customerId = uniqueId('c');
      const type = `probe.${uniqueId('t')}`;
      // Sent at once, so the one-a-second refill cannot let any more through.
      const statuses = await Promise.all(
        Array.from({ length: EVENTS_PER_MINUTE + 5 }, () => h.post('/api/events', { type, customerId }, 'system').then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(EVENTS_PER_MINUTE);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(EVENTS_PER_MINUTE + 2);
      const refused = await h.post('/api/events', { type, customerId }, 'system');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect((await h.post('/api/events', { type, customerId: uniqueId('c') }, 'system')).status).toBe(200);
    });
  });

  describe('a run terminated from outside', () => {
    it('reads back finished (not "waiting") once reconciled, with its run.finished', async () => {
      const runId = await startRun();
      expect((await h.post(`/api/runs/${runId}/messages`, { text: 'una duda' }, 'system')).body).toMatchObject({ status: 'waiting', waitingFor: 'reply' });
      await h.temporal.workflow.getHandle(runId).terminate('test: history limit');
      // The scheduled pass closes the row first (no GET in between).
      const pass = await createRunsReconcilerActivities({ pool: h.pool, client: h.temporal, log: () => undefined }).reconcileRuns({
        runIds: [runId],
        idleMs: 0,
      });
      expect(pass).toMatchObject({ closed: 1, finished: 1 });

      const run = await h.get(`/api/runs/${runId}`, 'system');
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ status: 'terminated', outcome: 'terminated', waitingFor: null });
      expect(run.body.closedAt).not.toBeNull();
      // The state is still there for whoever reads the conversation.
      expect(run.body.transcript.some((t: { text: string }) => t.text === 'una duda')).toBe(true);
      const events = await runEvents(runId);
      expect(events[0].type).toBe('run.started');
      expect(events.filter((e) => e.type === 'run.finished')).toEqual([expect.objectContaining({ data: { status: 'terminated', outcome: 'terminated' } })]);
    });
  });
});
