import { InterpreterHarness } from '../../test/interpreter/harness';
import { branchOf, eventsOfType, expectNodeFailed, isoIn, outputOf, pathOf, sleep, startValid, validFlow } from '../../test/interpreter/spec-util';

/** start → waitForEvent(purchase.completed, rule on the cart) → converted / abandoned. */
const purchaseFlow = (timeout = '1m', before?: [string, string, Record<string, unknown>]) =>
  validFlow(
    [
      ['start', 'start', { trigger: 'api' }],
      ...(before ? [before] : []),
      [
        'wait',
        'waitForEvent',
        {
          event: 'purchase.completed',
          rule: { '==': [{ var: 'event.cartId' }, { var: 'input.cartId' }] },
          timeout,
          variable: 'purchase',
        },
      ],
      ['bought', 'end', { outcome: 'converted', message: 'Gracias por tu compra de {{ vars.purchase.total }} €' }],
      ['gone', 'end', { outcome: 'abandoned' }],
    ],
    [
      ['start', 'next', before ? before[0] : 'wait'],
      ...(before ? ([[before[0], 'next', 'wait']] as [string, string, string][]) : []),
      ['wait', 'event', 'bought'],
      ['wait', 'timeout', 'gone'],
    ],
  );

describe('interpreter: timing nodes', () => {
  const h = new InterpreterHarness();
  beforeAll(() => h.setup(), 60_000);
  afterAll(() => h.teardown());

  describe('delay', () => {
    it('waits a duration on a durable timer', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['pause', 'delay', { duration: '1s' }],
          ['end', 'end', { outcome: 'completed' }],
        ],
        [
          ['start', 'next', 'pause'],
          ['pause', 'next', 'end'],
        ],
      );
      const handle = await startValid(h, def);
      const waiting = await h.until(handle, (s) => s.waitingFor === 'timer');
      expect(waiting).toMatchObject({ status: 'waiting', currentNode: 'pause' });
      await handle.result();
      const s = await h.state(handle);
      const step = s.path.find((p) => p.nodeId === 'pause')!;
      const waited = Date.parse(step.leftAt!) - Date.parse(step.enteredAt);
      expect(waited).toBeGreaterThanOrEqual(1000);
      expect(waited).toBeLessThan(5000);
      expect(outputOf(s, 'pause')).toEqual({ waitedUntil: new Date(Date.parse(step.enteredAt) + 1000).toISOString() });
    });

    it('waits until the instant a template renders (input.at, ~1 s ahead)', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['pause', 'delay', { until: '{{ input.at }}' }],
          ['end', 'end', { outcome: 'completed' }],
        ],
        [
          ['start', 'next', 'pause'],
          ['pause', 'next', 'end'],
        ],
      );
      const at = isoIn(1200);
      const handle = await startValid(h, def, { input: { at } });
      await h.until(handle, (s) => s.waitingFor === 'timer');
      await handle.result();
      const s = await h.state(handle);
      expect(outputOf(s, 'pause')).toEqual({ waitedUntil: at });
      expect(Date.parse(s.path.find((p) => p.nodeId === 'pause')!.leftAt!)).toBeGreaterThanOrEqual(Date.parse(at));
    });

    it('an `until` that is not a date fails the run naming the node', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['pause', 'delay', { until: '{{ input.at }}' }],
          ['end', 'end', { outcome: 'completed' }],
        ],
        [
          ['start', 'next', 'pause'],
          ['pause', 'next', 'end'],
        ],
      );
      const handle = await startValid(h, def, { input: { at: 'mañana' } });
      const failure = await expectNodeFailed(handle, 'pause');
      expect(failure.message).toContain('"until" rendered "mañana"');
    });
  });

  describe('waitForEvent', () => {
    it('takes `event` when the event arrives later, storing its payload', async () => {
      const handle = await startValid(h, purchaseFlow(), { input: { cartId: 'c-1' } });
      const waiting = await h.until(handle, (s) => s.waitingFor === 'event');
      expect(waiting).toMatchObject({ status: 'waiting', currentNode: 'wait' });
      await h.signal(handle, { type: 'purchase.completed', id: 'p-1', data: { cartId: 'c-1', total: 42 } });
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'c-1', total: 42 } } });
      const s = await h.state(handle);
      expect(branchOf(s, 'wait')).toBe('event');
      expect(outputOf(s, 'wait')).toEqual({ received: true, event: { type: 'purchase.completed', data: { cartId: 'c-1', total: 42 } } });
      expect(s.transcript.map((t) => t.text)).toEqual(['Gracias por tu compra de 42 €']);
      const received = await eventsOfType(h, handle.workflowId, 'event.received');
      expect(received.map((e) => e.data.type)).toEqual(['purchase.completed']);
    });

    it('takes an event that arrived before the node (buffered during a delay)', async () => {
      const handle = await startValid(h, purchaseFlow('1m', ['pause', 'delay', { duration: '1s' }]), { input: { cartId: 'c-2' } });
      await h.until(handle, (s) => s.waitingFor === 'timer');
      await h.signal(handle, { type: 'purchase.completed', id: 'p-2', data: { cartId: 'c-2', total: 10 } });
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'c-2', total: 10 } } });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'pause:next', 'wait:event', 'bought:null']);
      // It did not wait at all: the buffered event satisfied it in the same workflow task.
      const wait = s.path[2];
      expect(wait.leftAt).toBe(wait.enteredAt);
    });

    it('ignores events of other types and events the rule rejects', async () => {
      const handle = await startValid(h, purchaseFlow(), { input: { cartId: 'c-3' } });
      await h.until(handle, (s) => s.waitingFor === 'event');
      await h.signal(handle, { type: 'cart.updated', data: { cartId: 'c-3' } });
      await h.signal(handle, { type: 'purchase.completed', data: { cartId: 'other-cart', total: 999 } });
      // A chat turn after the signals is a barrier: they were handled before it, and neither satisfied the wait.
      const turn = await h.say(handle, 'sigo aquí');
      expect(turn).toMatchObject({ status: 'waiting', waitingFor: 'event', currentNode: 'wait', replies: [] });
      expect((await h.state(handle)).vars).toEqual({});
      await h.signal(handle, { type: 'purchase.completed', data: { cartId: 'c-3', total: 5 } });
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'c-3', total: 5 } } });
    });

    it('takes `timeout` when no matching event arrives in time', async () => {
      const handle = await startValid(h, purchaseFlow('1s'), { input: { cartId: 'c-4' } });
      await h.until(handle, (s) => s.waitingFor === 'event');
      await h.signal(handle, { type: 'purchase.completed', data: { cartId: 'not-mine' } });
      expect(await handle.result()).toMatchObject({ outcome: 'abandoned', vars: {} });
      const s = await h.state(handle);
      expect(branchOf(s, 'wait')).toBe('timeout');
      expect(outputOf(s, 'wait')).toEqual({ received: false });
      const wait = s.path[1];
      expect(Date.parse(wait.leftAt!) - Date.parse(wait.enteredAt)).toBeGreaterThanOrEqual(1000);
    });

    it('an event id delivered twice is handled once (signals are idempotent by id)', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['first', 'waitForEvent', { event: 'points.added', timeout: '1m' }],
          ['second', 'waitForEvent', { event: 'points.added', timeout: '1s' }],
          ['twice', 'end', { outcome: 'twice' }],
          ['once', 'end', { outcome: 'once' }],
          ['never', 'end', { outcome: 'never' }],
        ],
        [
          ['start', 'next', 'first'],
          ['first', 'event', 'second'],
          ['first', 'timeout', 'never'],
          ['second', 'event', 'twice'],
          ['second', 'timeout', 'once'],
        ],
      );
      const handle = await startValid(h, def);
      await h.until(handle, (s) => s.waitingFor === 'event');
      const event = { type: 'points.added', id: 'evt-42', data: { points: 10 } };
      await h.signal(handle, event);
      await h.signal(handle, event);
      expect(await handle.result()).toMatchObject({ outcome: 'once' });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'first:event', 'second:timeout', 'once:null']);
      expect(await eventsOfType(h, handle.workflowId, 'event.received')).toHaveLength(1);
    });

    it('events without an id are not de-duplicated', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['first', 'waitForEvent', { event: 'ping', timeout: '1m' }],
          ['second', 'waitForEvent', { event: 'ping', timeout: '5s' }],
          ['twice', 'end', { outcome: 'twice' }],
          ['once', 'end', { outcome: 'once' }],
        ],
        [
          ['start', 'next', 'first'],
          ['first', 'event', 'second'],
          ['first', 'timeout', 'once'],
          ['second', 'event', 'twice'],
          ['second', 'timeout', 'once'],
        ],
      );
      const handle = await startValid(h, def);
      await h.until(handle, (s) => s.waitingFor === 'event');
      await h.signal(handle, { type: 'ping' });
      await h.signal(handle, { type: 'ping' });
      expect(await handle.result()).toMatchObject({ outcome: 'twice' });
    });

    // Regression: business events received but not consumed travel through continue-as-new.
    it('an event buffered before a continue-as-new still satisfies a later wait', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['q1', 'ask', { text: '¿Nombre?', variable: 'name' }],
          ['q2', 'ask', { text: '¿Ciudad?', variable: 'city' }],
          ['wait', 'waitForEvent', { event: 'purchase.completed', timeout: '1s' }],
          ['bought', 'end', { outcome: 'converted' }],
          ['gone', 'end', { outcome: 'abandoned' }],
        ],
        [
          ['start', 'next', 'q1'],
          ['q1', 'reply', 'q2'],
          ['q2', 'reply', 'wait'],
          ['wait', 'event', 'bought'],
          ['wait', 'timeout', 'gone'],
        ],
      );
      const handle = await startValid(h, def, { limits: { maxUpdatesPerExecution: 1 } });
      await h.until(handle, (s) => s.waitingFor === 'reply');
      await h.signal(handle, { type: 'purchase.completed', id: 'p-can', data: { total: 3 } });
      await h.say(handle, 'Ana'); // the first update: q2 continues as new before it waits
      await h.until(handle, (s) => s.continuedAsNew === 1 && s.waitingFor === 'reply');
      await h.say(handle, 'Lima');
      expect(await handle.result()).toMatchObject({ outcome: 'converted' });
    });

    it('an event that arrives in the same workflow task as a customer message is not lost', async () => {
      // While a chat turn (Update) is pending, the SDK evaluates its `condition(run.idle)` right after
      // the wait's own condition in the same pass; `idle()` calls the wait's readiness check again.
      // Stopping the worker makes Temporal hand the signal and the Update to one activation.
      const handle = await startValid(h, purchaseFlow(), { input: { cartId: 'c-race' } });
      await h.until(handle, (s) => s.waitingFor === 'event');
      await h.stopWorker();
      let restarted = false;
      let turnResult: Awaited<ReturnType<typeof h.say>> | undefined;
      try {
        await h.signal(handle, { type: 'purchase.completed', id: 'p-race', data: { cartId: 'c-race', total: 7 } });
        const turn = h.say(handle, '¿ha llegado mi pago?');
        await sleep(300);
        await h.startWorker();
        restarted = true;
        turnResult = await turn;
      } finally {
        if (!restarted) await h.startWorker();
      }
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'c-race', total: 7 } } });
      expect(branchOf(await h.state(handle), 'wait')).toBe('event');
      // The chat turn waited for the flow to settle, so it reports what the event led to.
      expect(turnResult).toMatchObject({ status: 'completed', outcome: 'converted' });
      expect(turnResult!.replies.map((r) => r.text)).toEqual(['Gracias por tu compra de 7 €']);
    });
  });
});
