/* eslint-disable @typescript-eslint/no-explicit-any */
// Runs end to end over HTTP, against the real API, a real worker, the Temporal dev server and
// PostgreSQL: starts by the API and by events, chat turns, escalation by agent events, versions,
// test runs, cancel, listing, reading, and who may do what.
import { randomUUID } from 'node:crypto';
import { ApiHarness, flow } from './api-harness';

const conversation = (greeting = 'Hola {{ input.name }}') =>
  flow(
    [
      ['start', 'start', { trigger: 'api' }],
      ['hi', 'message', { text: greeting }],
      ['topic', 'ask', { text: '¿En qué te ayudo?', variable: 'topic' }],
      ['noted', 'message', { text: 'Anotado: {{ vars.topic }}' }],
      ['more', 'ask', { text: '¿Algo más?', variable: 'more' }],
      ['end', 'end', { outcome: 'resolved', message: '¡Hasta pronto!' }],
    ],
    [
      ['start', 'next', 'hi'],
      ['hi', 'next', 'topic'],
      ['topic', 'reply', 'noted'],
      ['noted', 'next', 'more'],
      ['more', 'reply', 'end'],
    ],
  );

const cart = (allowConcurrent = false) =>
  flow(
    [
      ['start', 'start', { trigger: 'event', event: allowConcurrent ? 'newsletter_signup' : 'cart_abandoned', allowConcurrent }],
      ['remind', 'message', { text: 'Olvidaste {{ input.item }}' }],
      ['wait', 'waitForEvent', { event: 'purchase.completed', timeout: '1h', variable: 'purchase' }],
      ['won', 'end', { outcome: 'converted' }],
      ['lost', 'end', { outcome: 'abandoned' }],
    ],
    [
      ['start', 'next', 'remind'],
      ['remind', 'next', 'wait'],
      ['wait', 'event', 'won'],
      ['wait', 'timeout', 'lost'],
    ],
  );

const support = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['problem', 'ask', { text: '¿Qué ocurre?', variable: 'problem' }],
    ['human', 'escalate', { tiers: [{ queue: 'soporte', notify: [], sla: '10m' }] }],
    ['byAgent', 'end', { outcome: 'escalated' }],
    ['back', 'end', { outcome: 'returned' }],
    ['nobody', 'end', { outcome: 'abandoned' }],
  ],
  [
    ['start', 'next', 'problem'],
    ['problem', 'reply', 'human'],
    ['human', 'resolved', 'byAgent'],
    ['human', 'returned', 'back'],
    ['human', 'unresolved', 'nobody'],
  ],
);

const texts = (replies: any[]) => replies.map((r) => r.text);

describe('API: runs, messages, events and triggers (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: true }), 90_000);
  afterAll(() => h.teardown());

  const run = async (runId: string, key = 'system') => (await h.get(`/api/runs/${runId}`, key)).body;

  it('starts a run by the API and carries the conversation through /messages to its end', async () => {
    const flowId = await h.publishedFlow('Conversación', conversation());
    const started = await h.post(`/api/flows/${flowId}/runs`, { input: { name: 'Ana' }, customerId: 'c-conv' }, 'system');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ flowId, version: 1, created: true, test: false, status: 'waiting' });
    expect(started.body.runId).toMatch(/^run-[0-9a-f-]{36}$/);
    expect(texts(started.body.replies)).toEqual(['Hola Ana', '¿En qué te ayudo?']);
    const runId = started.body.runId;

    // The first turn does not repeat the opening messages.
    const first = await h.post(`/api/runs/${runId}/messages`, { text: 'factura' }, 'system');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ runId, status: 'waiting', waitingFor: 'reply', currentNode: 'more' });
    expect(texts(first.body.replies)).toEqual(['Anotado: factura', '¿Algo más?']);

    // A retried message (same id) is handled once and answers the same.
    const last = await h.post(`/api/runs/${runId}/messages`, { text: 'no', id: 'msg-2' }, 'system');
    expect(last.body).toMatchObject({ status: 'completed', outcome: 'resolved', waitingFor: null });
    expect(texts(last.body.replies)).toEqual(['¡Hasta pronto!']);
    const again = await h.post(`/api/runs/${runId}/messages`, { text: 'no', id: 'msg-2' }, 'system');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(last.body);

    // A message to a finished run: 409 with its status.
    const late = await h.post(`/api/runs/${runId}/messages`, { text: '¿hola?' }, 'system');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { runId, status: 'completed', outcome: 'resolved' } });

    const state = await run(runId, 'operator');
    expect(state).toMatchObject({
      runId,
      flowId,
      version: 1,
      customerId: 'c-conv',
      status: 'completed',
      outcome: 'resolved',
      trigger: 'api',
      test: false,
      stateAvailable: true,
    });
    expect(state.closedAt).not.toBeNull();
    expect(state.vars).toEqual({ topic: 'factura', more: 'no' });
    expect(state.transcript.map((t: any) => `${t.from}:${t.text}`)).toEqual([
      'bot:Hola Ana',
      'bot:¿En qué te ayudo?',
      'customer:factura',
      'bot:Anotado: factura',
      'bot:¿Algo más?',
      'customer:no',
      'bot:¡Hasta pronto!',
    ]);
    expect(state.path.map((p: any) => `${p.nodeId}>${p.branch}`)).toEqual(['start>next', 'hi>next', 'topic>reply', 'noted>next', 'more>reply', 'end>null']);

    const events = await h.eventually(async () => {
      const res = await h.get(`/api/runs/${runId}/events`, 'editor');
      return res.body.items.some((e: any) => e.type === 'run.finished') && res.body;
    });
    expect(events.items[0]).toMatchObject({ seq: 1, type: 'run.started' });
    expect(events.items.filter((e: any) => e.type === 'message.in')).toHaveLength(2);
    const page = await h.get(`/api/runs/${runId}/events?afterSeq=2&limit=3`, 'editor');
    expect(page.body.items.map((e: any) => e.seq)).toEqual([3, 4, 5]);
    expect(page.body.nextAfterSeq).toBe(5);
  });

  it('starts idempotently by key while the run is open, even under concurrent starts', async () => {
    const flowId = await h.publishedFlow('Idempotente', conversation());
    const a = await h.post(`/api/flows/${flowId}/runs`, { key: 'order-1' }, 'system');
    const b = await h.post(`/api/flows/${flowId}/runs`, { key: 'order-1', input: { other: true } }, 'system');
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ runId: a.body.runId, created: false, replies: [] });

    const racing = await Promise.all([1, 2, 3, 4].map(() => h.post(`/api/flows/${flowId}/runs`, { key: 'order-2' }, 'system')));
    expect(new Set(racing.map((r) => r.body.runId)).size).toBe(1);
    expect(racing.filter((r) => r.body.created)).toHaveLength(1);

    // Once the run is over, the key starts a new one.
    await h.post(`/api/runs/${a.body.runId}/cancel`, undefined, 'operator');
    await h.eventually(async () => (await run(a.body.runId)).status === 'cancelled');
    const c = await h.post(`/api/flows/${flowId}/runs`, { key: 'order-1' }, 'system');
    expect(c.status).toBe(201);
    expect(c.body.runId).not.toBe(a.body.runId);
  });

  it('keeps runs in flight on their version while new runs take the newly published one', async () => {
    const flowId = await h.publishedFlow('Versionada', conversation('Hola v1'));
    const old = await h.post(`/api/flows/${flowId}/runs`, {}, 'system');
    await h.put(`/api/flows/${flowId}`, { name: 'Versionada', definition: conversation('Hola v2') }, 'editor');
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'editor')).body.version).toBe(2);
    const fresh = await h.post(`/api/flows/${flowId}/runs`, {}, 'system');
    expect(fresh.body.version).toBe(2);
    expect(texts(fresh.body.replies)[0]).toBe('Hola v2');
    const pinned = await h.post(`/api/flows/${flowId}/runs`, { version: 1 }, 'system');
    expect(texts(pinned.body.replies)[0]).toBe('Hola v1');
    expect((await h.post(`/api/flows/${flowId}/runs`, { version: 7 }, 'system')).status).toBe(404);

    const turn = await h.post(`/api/runs/${old.body.runId}/messages`, { text: 'sigo en la v1' }, 'system');
    expect(texts(turn.body.replies)).toEqual(['Anotado: sigo en la v1', '¿Algo más?']);
    expect((await run(old.body.runId)).version).toBe(1);
  });

  it('starts flows from business events, one open run per customer, and delivers events to waiting runs', async () => {
    const flowId = await h.publishedFlow('Carrito', cart());
    const customerId = `c-${randomUUID()}`;
    const first = await h.post('/api/events', { type: 'cart_abandoned', customerId, data: { item: 'zapatos' } }, 'system');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 'cart_abandoned', customerId, skipped: [], delivered: [] });
    expect(first.body.started).toEqual([{ flowId, version: 1, runId: expect.stringMatching(/^run-/) }]);
    const runId = first.body.started[0].runId;
    const waiting = await h.eventually(async () => {
      const s = await run(runId);
      return s.waitingFor === 'event' && s;
    });
    expect(waiting).toMatchObject({ trigger: 'event', customerId, currentNode: 'wait' });
    expect(texts(waiting.transcript)).toEqual(['Olvidaste zapatos']);

    // Same event while the run is open: no second run; the open run gets the event.
    const second = await h.post('/api/events', { type: 'cart_abandoned', customerId, data: { item: 'gorra' } }, 'system');
    expect(second.body.started).toEqual([]);
    expect(second.body.skipped).toEqual([{ flowId, reason: 'open_run', runId }]);
    expect(second.body.delivered).toEqual([runId]);

    const bought = await h.post('/api/events', { type: 'purchase.completed', customerId, data: { total: 59.9 }, id: 'evt-1' }, 'system');
    expect(bought.body).toMatchObject({ started: [], delivered: [runId] });
    const done = await h.eventually(async () => {
      const s = await run(runId);
      return s.status === 'completed' && s;
    });
    expect(done).toMatchObject({ outcome: 'converted', vars: { purchase: { total: 59.9 } } });

    // Closed now: a new abandoned cart starts a new run.
    const third = await h.post('/api/events', { type: 'cart_abandoned', customerId, data: { item: 'bolso' } }, 'system');
    expect(third.body.started).toHaveLength(1);
    expect(third.body.started[0].runId).not.toBe(runId);

    // agent.* events belong to one run.
    const agent = await h.post('/api/events', { type: 'agent.accepted', customerId }, 'system');
    expect(agent.status).toBe(400);
  });

  it('starts one run per event when the flow allows concurrent runs', async () => {
    const flowId = await h.publishedFlow('Concurrente', cart(true));
    const customerId = `c-${randomUUID()}`;
    const a = await h.post('/api/events', { type: 'newsletter_signup', customerId, data: { item: 'a' }, id: 'sig-1' }, 'system');
    const b = await h.post('/api/events', { type: 'newsletter_signup', customerId, data: { item: 'b' }, id: 'sig-2' }, 'system');
    const dup = await h.post('/api/events', { type: 'newsletter_signup', customerId, data: { item: 'b' }, id: 'sig-2' }, 'system');
    expect(a.body.started).toHaveLength(1);
    expect(b.body.started).toHaveLength(1);
    expect(a.body.started[0].runId).not.toBe(b.body.started[0].runId);
    expect(dup.body.started).toEqual([]);
    expect(dup.body.skipped).toEqual([{ flowId, reason: 'open_run', runId: b.body.started[0].runId }]);
  });

  it('drives an escalation with agent events and agent messages, each from the role allowed to', async () => {
    const flowId = await h.publishedFlow('Soporte', support);
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-esc' }, 'system');
    const runId = started.body.runId;
    expect(texts(started.body.replies)).toEqual(['¿Qué ocurre?']);

    const turn = await h.post(`/api/runs/${runId}/messages`, { text: 'quiero hablar con una persona' }, 'system');
    expect(turn.body).toMatchObject({ waitingFor: 'agent', currentNode: 'human' });
    expect(texts(turn.body.replies)).toEqual(['Te estoy pasando con una persona del equipo. Un momento, por favor.']);
    expect((await run(runId, 'operator')).escalation).toMatchObject({ nodeId: 'human', tier: 0, queue: 'soporte', status: 'waiting' });

    // Agent events are the operator's; business events the system's.
    const bySystem = await h.post(`/api/runs/${runId}/events`, { type: 'agent.accepted', data: { agent: 'Marta' } }, 'system');
    expect(bySystem.status).toBe(403);
    expect(bySystem.body.message).toBe('An agent event requires one of the roles operator, admin; this key has the role system');
    // POST /runs/:id/business-events is the clearer name of POST /runs/:id/events: both send an event to the run.
    const byOperator = await h.post(`/api/runs/${runId}/business-events`, { type: 'agent.accepted', data: { agent: 'Marta' }, id: 'acc-1' }, 'operator');
    expect(byOperator.status).toBe(202);
    expect(byOperator.body).toEqual({ runId, type: 'agent.accepted', accepted: true });
    expect((await h.post(`/api/runs/${runId}/events`, { type: 'purchase.completed' }, 'operator')).status).toBe(403);
    expect((await h.post(`/api/runs/${runId}/business-events`, { type: 'purchase.completed' }, 'operator')).status).toBe(403);
    const accepted = await h.eventually(async () => {
      const s = await run(runId, 'operator');
      return s.escalation?.status === 'accepted' && s;
    });
    expect(accepted.escalation.agent).toBe('Marta');

    // The agent writes through the operator key; the customer through the system key.
    expect((await h.post(`/api/runs/${runId}/messages`, { text: 'Hola, soy Marta', from: 'agent' }, 'system')).status).toBe(403);
    const operatorAsCustomer = await h.post(`/api/runs/${runId}/messages`, { text: 'hola' }, 'operator');
    expect(operatorAsCustomer.status).toBe(403);
    expect(operatorAsCustomer.body.message).toContain('A customer message requires one of the roles system, admin');
    const agentTurn = await h.post(`/api/runs/${runId}/messages`, { text: 'Hola, soy Marta', from: 'agent', agent: 'Marta' }, 'operator');
    expect(agentTurn.status).toBe(200);
    // The agent's turn answers with what the customer said; the customer's, with what the agent said.
    expect(texts(agentTurn.body.replies)).toContain('quiero hablar con una persona');
    const customerTurn = await h.post(`/api/runs/${runId}/messages`, { text: 'me cobraron dos veces' }, 'system');
    expect(customerTurn.body).toMatchObject({ status: 'waiting', waitingFor: 'agent' });
    expect(texts(customerTurn.body.replies)).toContain('Hola, soy Marta');

    expect((await h.post(`/api/runs/${runId}/events`, { type: 'agent.resolved' }, 'operator')).status).toBe(202);
    const done = await h.eventually(async () => {
      const s = await run(runId, 'operator');
      return s.status === 'completed' && s;
    });
    expect(done.outcome).toBe('escalated');
    expect(done.transcript.map((t: any) => t.from)).toEqual(['bot', 'customer', 'bot', 'system', 'agent', 'customer', 'system']);
    const events = await h.eventually(async () => {
      const items = (await h.get(`/api/runs/${runId}/events?limit=1000`, 'operator')).body.items;
      return items.some((e: any) => e.type === 'run.finished') && items;
    });
    expect(events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['escalation.tier', 'escalation.accepted', 'escalation.resolved']));
    expect((await h.post(`/api/runs/${runId}/events`, { type: 'agent.resolved' }, 'operator')).status).toBe(409);
    expect((await h.post(`/api/runs/${runId}/business-events`, { type: 'agent.resolved' }, 'operator')).status).toBe(409);
  });

  it('documents POST /runs/:id/business-events, and the old POST /runs/:id/events as its deprecated name', async () => {
    const paths = (await h.get('/api/openapi.json', null)).body.paths;
    const current = paths['/api/runs/{runId}/business-events'].post;
    const old = paths['/api/runs/{runId}/events'].post;
    expect(current.deprecated).toBeFalsy();
    expect(old.deprecated).toBe(true);
    expect(old.summary).toContain('/business-events');
    // Same body and answers under both names.
    expect(old.requestBody).toEqual(current.requestBody);
    expect(Object.keys(old.responses).sort()).toEqual(Object.keys(current.responses).sort());
    // GET on the old path reads the run events the run recorded: a different thing.
    expect(paths['/api/runs/{runId}/events'].get.deprecated).toBeFalsy();
  });

  it('answers GET /runs/:id of a run terminated from outside without writing its index row; the next command closes it', async () => {
    const flowId = await h.publishedFlow('Terminada', conversation());
    const runId = (await h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-term' }, 'system')).body.runId;
    await h.temporal.workflow.getHandle(runId).terminate('test: stopped from outside');
    const rowOf = async () => (await h.pool.query(`SELECT *, updated_at::text AS updated_exact FROM runs WHERE run_id = $1`, [runId])).rows[0];
    const eventsOf = async () => (await h.pool.query(`SELECT seq, type FROM run_events WHERE run_id = $1 ORDER BY seq`, [runId])).rows;
    const before = await rowOf();
    const eventsBefore = await eventsOf();
    expect(before).toMatchObject({ status: 'running', closed_at: null });

    // The read reports what Temporal says...
    const got = await h.get(`/api/runs/${runId}`, 'system');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'terminated', outcome: 'terminated', waitingFor: null });
    expect(got.body.closedAt).not.toBeNull();
    expect((await h.get(`/api/runs/${runId}/events`, 'system')).status).toBe(200);
    // ...and leaves the row and the run events exactly as they were (updated_at to the microsecond).
    expect(await rowOf()).toEqual(before);
    expect(await eventsOf()).toEqual(eventsBefore);

    // A command that meets the closed run repairs the row (or the reconciler's pass would).
    const late = await h.post(`/api/runs/${runId}/messages`, { text: '¿hola?' }, 'system');
    expect(late.status).toBe(409);
    expect(late.body.details).toMatchObject({ runId, status: 'terminated' });
    expect(await rowOf()).toMatchObject({ status: 'terminated', outcome: 'terminated', closed_at: expect.any(Date) });
  });

  it('runs the draft for the editor’s simulator after validating it', async () => {
    const created = await h.post(
      '/api/flows',
      {
        name: 'Borrador',
        definition: flow(
          [
            ['start', 'start', { trigger: 'api' }],
            ['hi', 'message', { text: 'x' }],
          ],
          [['start', 'next', 'hi']],
        ),
      },
      'editor',
    );
    const flowId = created.body.id;
    const invalid = await h.post(`/api/flows/${flowId}/test-runs`, {}, 'editor');
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.errors.length).toBeGreaterThan(0);

    await h.put(`/api/flows/${flowId}`, { name: 'Borrador', definition: conversation('Prueba {{ input.name }}') }, 'editor');
    const test = await h.post(`/api/flows/${flowId}/test-runs`, { input: { name: 'Eva' } }, 'editor');
    expect(test.status).toBe(201);
    expect(test.body).toMatchObject({ flowId, version: 0, test: true, created: true });
    expect(texts(test.body.replies)).toEqual(['Prueba Eva', '¿En qué te ayudo?']);
    // The editor drives its test run; it cannot message real runs.
    const turn = await h.post(`/api/runs/${test.body.runId}/messages`, { text: 'probando' }, 'editor');
    expect(texts(turn.body.replies)).toEqual(['Anotado: probando', '¿Algo más?']);
    const cancelled = await h.post(`/api/runs/${test.body.runId}/cancel`, undefined, 'editor');
    expect(cancelled.status).toBe(202);
    await h.eventually(async () => (await run(test.body.runId, 'editor')).status === 'cancelled');
    // Closed for good, even though test runs do not write their index row themselves.
    expect((await h.post(`/api/runs/${test.body.runId}/messages`, { text: '¿sigues?' }, 'editor')).status).toBe(409);

    const real = await h.publishedFlow('Real', conversation());
    const realRun = await h.post(`/api/flows/${real}/runs`, {}, 'system');
    expect((await h.post(`/api/runs/${realRun.body.runId}/messages`, { text: 'hola' }, 'editor')).status).toBe(403);
    expect((await h.post(`/api/runs/${realRun.body.runId}/cancel`, undefined, 'editor')).status).toBe(403);

    // Listing leaves test runs out unless asked.
    const listed = await h.eventually(async () => {
      const res = await h.get(`/api/runs?flowId=${flowId}&includeTest=true`, 'editor');
      return res.body.items.length === 1 && res.body;
    });
    expect(listed.items[0]).toMatchObject({ runId: test.body.runId, test: true, trigger: 'test', version: 0 });
    expect((await h.get(`/api/runs?flowId=${flowId}`, 'editor')).body.items).toEqual([]);
  });

  it('cancels a run (operator), after which it takes nothing more', async () => {
    const flowId = await h.publishedFlow('Cancelable', conversation());
    const runId = (await h.post(`/api/flows/${flowId}/runs`, {}, 'system')).body.runId;
    expect((await h.post(`/api/runs/${runId}/cancel`, undefined, 'system')).status).toBe(403);
    const res = await h.post(`/api/runs/${runId}/cancel`, undefined, 'operator');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ runId, status: 'cancelling' });
    const s = await h.eventually(async () => {
      const r = await run(runId);
      return r.status === 'cancelled' && r;
    });
    expect(s.outcome).toBe('cancelled');
    const msg = await h.post(`/api/runs/${runId}/messages`, { text: 'hola' }, 'system');
    expect(msg.status).toBe(409);
    expect(msg.body.details).toMatchObject({ status: 'cancelled' });
    expect((await h.post(`/api/runs/${runId}/cancel`, undefined, 'operator')).status).toBe(409);
    const audit = await h.get(`/api/audit?targetId=${runId}`);
    expect(audit.body.items[0]).toMatchObject({ action: 'run.cancelled', actorRole: 'operator' });
  });

  it('lists runs with filters through Temporal visibility, paged by cursor, joined with the run index', async () => {
    const flowId = await h.publishedFlow('Listado', conversation());
    const customerId = `c-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.post(`/api/flows/${flowId}/runs`, { customerId, key: `k${i}` }, 'system')).body.runId);
    await h.post(`/api/runs/${ids[0]}/messages`, { text: 'uno' }, 'system');
    await h.post(`/api/runs/${ids[0]}/messages`, { text: 'dos' }, 'system');

    const all = await h.eventually(async () => {
      const res = await h.get(`/api/runs?flowId=${flowId}`, 'operator');
      return res.body.items.length === 3 && res.body;
    });
    expect(new Set(all.items.map((r: any) => r.runId))).toEqual(new Set(ids));
    expect(all.items.find((r: any) => r.runId === ids[1])).toMatchObject({ flowId, version: 1, customerId, startKey: 'k1', trigger: 'api', test: false });

    const completed = await h.eventually(async () => {
      const res = await h.get(`/api/runs?flowId=${flowId}&status=completed`, 'operator');
      return res.body.items.length === 1 && res.body.items[0].closedAt && res.body;
    });
    expect(completed.items[0]).toMatchObject({ runId: ids[0], status: 'completed', outcome: 'resolved' });
    expect(completed.items[0].closedAt).not.toBeNull();
    const running = await h.eventually(async () => {
      const res = await h.get(`/api/runs?customerId=${customerId}&status=running`, 'system');
      return res.body.items.length === 2 && res.body;
    });
    expect(running.items.every((r: any) => r.status === 'running' && r.closedAt === null)).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await h.get(`/api/runs?flowId=${flowId}&pageSize=1${cursor ? `&cursor=${cursor}` : ''}`, 'editor');
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((r: any) => r.runId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());

    expect((await h.get(`/api/runs?version=1&flowId=${flowId}&startedAfter=2000-01-01T00:00:00Z`, 'editor')).body.items).toHaveLength(3);
    expect((await h.get(`/api/runs?flowId=${flowId}&version=2`, 'editor')).body.items).toHaveLength(0);
    expect((await h.get('/api/runs?cursor=%%%', 'editor')).status).toBe(400);
  });

  it('limits a key scoped to some flows to their runs: others are not found, whatever the id', async () => {
    const mine = await h.publishedFlow('Mío', conversation());
    const theirs = await h.publishedFlow('Ajeno', conversation());
    const scoped = (await h.post('/api/api-keys', { name: 'solo mío', role: 'system', flowIds: [mine] })).body.key;
    const theirRun = (await h.post(`/api/flows/${theirs}/runs`, {}, 'system')).body.runId;
    const myRun = await h.post(`/api/flows/${mine}/runs`, {}, scoped);
    expect(myRun.status).toBe(201);

    expect((await h.post(`/api/flows/${theirs}/runs`, {}, scoped)).status).toBe(404);
    for (const [method, path, body] of [
      ['GET', `/api/runs/${theirRun}`, undefined],
      ['GET', `/api/runs/${theirRun}/events`, undefined],
      ['POST', `/api/runs/${theirRun}/messages`, { text: 'hola' }],
      ['POST', `/api/runs/${theirRun}/events`, { type: 'purchase.completed' }],
      ['GET', `/api/runs/run-${randomUUID()}`, undefined],
    ] as const) {
      const res = await h.request(method, path, { key: scoped, body });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body.message).toMatch(/^Run run-.* not found$/);
    }
    expect((await h.post(`/api/runs/${myRun.body.runId}/messages`, { text: 'hola' }, scoped)).status).toBe(200);
    const listed = await h.eventually(async () => {
      const items = (await h.get('/api/runs?pageSize=100', scoped)).body.items;
      return items.length > 0 && items;
    });
    expect(listed.every((r: any) => r.flowId === mine)).toBe(true);
  });

  it('runs a schedule-triggered flow from its Temporal Schedule, listed and readable like any run', async () => {
    const flowId = await h.publishedFlow(
      'Programada',
      flow(
        [
          ['start', 'start', { trigger: 'schedule', cron: '0 3 1 1 *' }],
          ['note', 'setVariables', { assignments: [{ variable: 'ran', value: true }] }],
          ['end', 'end', { outcome: 'done' }],
        ],
        [
          ['start', 'next', 'note'],
          ['note', 'next', 'end'],
        ],
      ),
    );
    await h.temporal.schedule.getHandle(`cauce-flow-${flowId}`).trigger();
    const listed = await h.eventually(async () => {
      const items = (await h.get(`/api/runs?flowId=${flowId}`, 'operator')).body.items;
      return items.length === 1 && items[0].closedAt && items;
    });
    expect(listed[0]).toMatchObject({ flowId, version: 1, trigger: 'schedule', status: 'completed' });
    expect(listed[0].runId).toMatch(new RegExp(`^run-sched-${flowId}-`));
    const state = await run(listed[0].runId, 'operator');
    expect(state).toMatchObject({ status: 'completed', outcome: 'done', vars: { ran: true }, stateAvailable: true });
    await h.post(`/api/flows/${flowId}/archive`, undefined, 'editor');
  });

  it('validates run requests field by field and 404s unknown runs', async () => {
    const flowId = await h.publishedFlow('Validación', conversation());
    const bad = await h.post(`/api/flows/${flowId}/runs`, { input: 'x', customerId: '', key: 5, version: 0, channel: 'fax' }, 'system');
    expect(bad.status).toBe(400);
    for (const m of [
      'input must be an object',
      'customerId must not be empty',
      'key must be a string',
      'version must be at least 1',
      'channel must be one of',
    ]) {
      expect(bad.body.message).toContain(m);
    }
    const runId = (await h.post(`/api/flows/${flowId}/runs`, {}, 'system')).body.runId;
    const empty = await h.post(`/api/runs/${runId}/messages`, { text: '   ', from: 'bot' }, 'system');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('text must not be empty');
    expect(empty.body.message).toContain('from must be customer or agent');
    expect((await h.post(`/api/runs/${runId}/messages`, { text: 'x'.repeat(10_001) }, 'system')).body.message).toContain(
      'text must be at most 10000 characters',
    );
    expect((await h.post(`/api/runs/${runId}/events`, { type: '9lives' }, 'system')).body.message).toContain('type must start with a letter');
    expect((await h.post(`/api/runs/run-${randomUUID()}/messages`, { text: 'hola' }, 'system')).status).toBe(404);
    expect((await h.get(`/api/runs/run-${randomUUID()}`, 'system')).status).toBe(404);
  });

  it('counts runs started and chat-turn latency in the Prometheus metrics', async () => {
    const text = (await h.get('/api/metrics', 'system')).text;
    expect(text).toMatch(/cauce_runs_started_total\{trigger="api"\} [1-9]/);
    expect(text).toMatch(/cauce_runs_started_total\{trigger="event"\} [1-9]/);
    expect(text).toMatch(/cauce_runs_started_total\{trigger="test"\} [1-9]/);
    expect(text).toMatch(/cauce_chat_turn_duration_seconds_count\{result="ok"\} [1-9]/);
    expect(text).toMatch(/cauce_http_request_duration_seconds_count\{method="POST",route="\/api\/runs\/:runId\/messages",status="200"\} [1-9]/);
  });
});
