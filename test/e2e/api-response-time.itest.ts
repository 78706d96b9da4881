/* eslint-disable @typescript-eslint/no-explicit-any */
// The response-time KPI on the real stack (API, worker, Temporal, PostgreSQL): a bot reply given
// within the chat turn counts the time the API took to answer, not the workflow clock (which stands
// still within one workflow task and read ~0 ms); a reply given later counts from when the API
// received the message.
import { TurnTimingsService } from '../../apps/api/runs/turn-timings.service';
import { ApiHarness, flow } from './api-harness';

const immediate = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['ask', 'ask', { text: '¿Qué necesitas?', variable: 'need' }],
    ['noted', 'message', { text: 'Anotado: {{ vars.need }}' }],
    ['end', 'end', { outcome: 'resolved' }],
  ],
  [
    ['start', 'next', 'ask'],
    ['ask', 'reply', 'noted'],
    ['noted', 'next', 'end'],
  ],
);

const delayed = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['ask', 'ask', { text: '¿Qué necesitas?', variable: 'need' }],
    ['think', 'delay', { duration: '2s' }],
    ['noted', 'message', { text: 'Ya lo tengo' }],
    ['end', 'end', { outcome: 'resolved' }],
  ],
  [
    ['start', 'next', 'ask'],
    ['ask', 'reply', 'think'],
    ['think', 'next', 'noted'],
    ['noted', 'next', 'end'],
  ],
);

describe('API: the response-time KPI measures what the customer waited', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: true }), 90_000);
  afterAll(() => h.teardown());

  const kpisOf = async (flowId: string, from: Date) => {
    const to = new Date(Date.now() + 60_000);
    // The run's last events and the API's timings are written in batches: wait until both are in.
    for (let i = 0; i < 100; i++) {
      // A GET never refreshes the KPI facts (the worker's job): ask for the newest figures first.
      expect((await h.post('/api/kpis/refresh', {}, 'editor')).status).toBe(200);
      const res = await h.get(`/api/kpis?flowId=${flowId}&from=${from.toISOString()}&to=${to.toISOString()}`, 'editor');
      expect(res.status).toBe(200);
      const timed = await h.pool.query(`SELECT count(*)::int AS n FROM chat_turn_timings t JOIN runs r USING (run_id) WHERE r.flow_id = $1`, [flowId]);
      if (res.body.totals.finished > 0 && res.body.totals.responseTime.turns > 0) return { totals: res.body.totals, timings: timed.rows[0].n as number };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the KPIs never showed the finished run');
  };

  it('counts a reply given within the chat turn as the time the API took to answer', async () => {
    const flowId = await h.publishedFlow('Respuesta inmediata', immediate);
    const from = new Date(Date.now() - 60_000);
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-fast' }, 'system');
    expect(started.status).toBe(201);
    const t0 = performance.now();
    const turn = await h.post(`/api/runs/${started.body.runId}/messages`, { text: 'una factura' }, 'system');
    const roundTrip = performance.now() - t0;
    expect(turn.status).toBe(200);
    expect(turn.body.replies.map((r: any) => r.text)).toEqual(['Anotado: una factura']);

    await h.app.get(TurnTimingsService).flush();
    const { totals, timings } = await kpisOf(flowId, from);
    expect(timings).toBe(1);
    expect(totals.responseTime.turns).toBe(1);
    // Not the workflow clock's 0 ms: what the API measured, which is at most what the client waited.
    expect(totals.responseTime.p50Ms).toBeGreaterThan(0);
    expect(totals.responseTime.p50Ms).toBeLessThanOrEqual(roundTrip);
  });

  it('counts a later reply from when the API received the message', async () => {
    const flowId = await h.publishedFlow('Respuesta tardía', delayed);
    const from = new Date(Date.now() - 60_000);
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-slow' }, 'system');
    const turn = await h.post(`/api/runs/${started.body.runId}/messages`, { text: 'una factura' }, 'system');
    // The run waits in the delay: the turn returns without a reply, so the API records no timing.
    expect(turn.body).toMatchObject({ replies: [], waitingFor: 'timer' });

    const { totals, timings } = await kpisOf(flowId, from);
    expect(timings).toBe(0);
    expect(totals.responseTime.turns).toBe(1);
    // The reply came out ~2 s after the message arrived (timer resolution adds a little).
    expect(totals.responseTime.p50Ms).toBeGreaterThanOrEqual(1900);
    expect(totals.responseTime.p50Ms).toBeLessThan(6000);
  });
});
