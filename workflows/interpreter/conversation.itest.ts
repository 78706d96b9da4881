import { WithStartWorkflowOperation, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import { InterpreterHarness } from '../../test/interpreter/harness';
import { branchOf, callsFor, eventsOfType, isIso, outputOf, pathOf, saidTexts, startValid, texts, validFlow } from '../../test/interpreter/spec-util';
import { FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW, openingUpdate } from '../../contracts/run-wire';
import { DEFAULT_TEXTS } from './texts';
import type { FlowRunInput } from '../../contracts/run';

const ES = DEFAULT_TEXTS.es;

/** start → ask (options) → one end per option, `invalid` and `timeout`. */
const topicFlow = (ask: Record<string, unknown> = {}) =>
  validFlow(
    [
      ['start', 'start', { trigger: 'api' }],
      [
        'q',
        'ask',
        {
          text: '¿Sobre qué es tu consulta?',
          variable: 'topic',
          options: [
            { label: 'Facturación', value: 'billing', synonyms: ['factura', 'me han cobrado'] },
            { label: 'Envíos', value: 'shipping', synonyms: ['paquete'] },
            { label: 'Mi cuenta', value: 'account' },
          ],
          ...ask,
        },
      ],
      ['billing', 'end', { outcome: 'billing' }],
      ['shipping', 'end', { outcome: 'shipping' }],
      ['account', 'end', { outcome: 'account' }],
      ['gaveUp', 'end', { outcome: 'abandoned', message: 'Lo siento, no te he entendido.' }],
      ...(ask.timeout ? ([['silent', 'end', { outcome: 'abandoned' }]] as [string, string, Record<string, unknown>][]) : []),
    ],
    [
      ['start', 'next', 'q'],
      ['q', 'billing', 'billing'],
      ['q', 'shipping', 'shipping'],
      ['q', 'account', 'account'],
      ['q', 'invalid', 'gaveUp'],
      ...(ask.timeout ? ([['q', 'timeout', 'silent']] as [string, string, string][]) : []),
    ],
  );

/** start → ask with validation → thanks; invalid → end. */
const validatedFlow = (validation: Record<string, unknown>) =>
  validFlow(
    [
      ['start', 'start', { trigger: 'api' }],
      ['q', 'ask', { text: 'Dime el dato', variable: 'answer', validation }],
      ['thanks', 'end', { outcome: 'resolved', message: 'Anotado: {{ vars.answer }}' }],
      ['bad', 'end', { outcome: 'abandoned' }],
    ],
    [
      ['start', 'next', 'q'],
      ['q', 'reply', 'thanks'],
      ['q', 'invalid', 'bad'],
    ],
  );

/** start → csat (1 s timeout) → end; the timeout branch ends differently. */
const csatFlow = validFlow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['survey', 'csat', { question: '¿Qué tal te hemos atendido? (1-5)', timeout: '1s', variable: 'rating' }],
    ['thanks', 'end', { outcome: 'resolved', message: 'Gracias por tu {{ vars.rating }}' }],
    ['noAnswer', 'end', { outcome: 'resolved', message: 'Sin valoración' }],
  ],
  [
    ['start', 'next', 'survey'],
    ['survey', 'next', 'thanks'],
    ['survey', 'timeout', 'noAnswer'],
  ],
);

describe('interpreter: conversation nodes', () => {
  const h = new InterpreterHarness();
  beforeAll(() => h.setup(), 60_000);
  afterAll(() => h.teardown());

  it('start (api) and message: Liquid over input, vars and customer; buttons come back in the replies', async () => {
    h.fakes.customers.set('c-msg', { id: 'c-msg', name: 'Ana', email: 'ana@example.com', attributes: {}, tags: [] });
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['set', 'setVariables', { assignments: [{ variable: 'items', value: 3 }] }],
        ['lookup', 'crm.lookup', { by: 'id', value: '{{ input.customerId }}' }],
        [
          'hi',
          'message',
          {
            text: 'Hola {{ customer.name }}, tu pedido {{ input.order }} tiene {{ vars.items }} artículos',
            buttons: [
              { label: 'Ver {{ input.order }}', value: 'ver' },
              { label: 'Cancelar', value: 'cancelar' },
            ],
          },
        ],
        ['q', 'ask', { text: '¿Qué hacemos?', variable: 'choice' }],
        ['end', 'end', { outcome: 'resolved', message: 'Elegiste {{ vars.choice }}' }],
        ['nobody', 'end', { outcome: 'failed' }],
      ],
      [
        ['start', 'next', 'set'],
        ['set', 'next', 'lookup'],
        ['lookup', 'found', 'hi'],
        ['lookup', 'notFound', 'nobody'],
        ['hi', 'next', 'q'],
        ['q', 'reply', 'end'],
      ],
    );
    const handle = await startValid(h, def, { input: { order: 'P-77', customerId: 'c-msg' } });
    await h.until(handle, (s) => s.waitingFor === 'reply');
    const turn = await h.say(handle, 'ver');
    expect(turn.replies.map((r) => ({ from: r.from, text: r.text, nodeId: r.nodeId, buttons: r.buttons }))).toEqual([
      {
        from: 'bot',
        text: 'Hola Ana, tu pedido P-77 tiene 3 artículos',
        nodeId: 'hi',
        buttons: [
          { label: 'Ver P-77', value: 'ver' },
          { label: 'Cancelar', value: 'cancelar' },
        ],
      },
      { from: 'bot', text: '¿Qué hacemos?', nodeId: 'q', buttons: undefined },
      { from: 'bot', text: 'Elegiste ver', nodeId: 'end', buttons: undefined },
    ]);
    expect(turn).toMatchObject({ status: 'completed', outcome: 'resolved', currentNode: null, waitingFor: null });
    await handle.result();
    const [started] = await eventsOfType(h, handle.workflowId, 'run.started');
    expect(started.data).toEqual({ trigger: 'api' });
    const out = await eventsOfType(h, handle.workflowId, 'message.out');
    expect(out.map((e) => [e.node_id, e.data.buttons ?? 0])).toEqual([
      ['hi', 2],
      ['q', 0],
      ['end', 0],
    ]);
  });

  describe('ask with options', () => {
    it.each([
      ['the value', 'billing', 'billing'],
      ['the label, folding case and accents', 'ENVIOS', 'shipping'],
      ['a synonym', 'Me han cobrado', 'billing'],
      ['the number of the option', '3', 'account'],
    ])('picks an option by %s (%s → %s)', async (_how, reply, option) => {
      const handle = await startValid(h, topicFlow());
      const s0 = await h.until(handle, (s) => s.waitingFor === 'reply');
      expect(s0.transcript[0]).toMatchObject({
        from: 'bot',
        text: '¿Sobre qué es tu consulta?',
        buttons: [
          { label: 'Facturación', value: 'billing' },
          { label: 'Envíos', value: 'shipping' },
          { label: 'Mi cuenta', value: 'account' },
        ],
      });
      const turn = await h.say(handle, reply);
      expect(turn).toMatchObject({ status: 'completed', outcome: option });
      const result = await handle.result();
      expect(result.vars).toEqual({ topic: option });
      const s = await h.state(handle);
      expect(branchOf(s, 'q')).toBe(option);
      expect(outputOf(s, 'q')).toEqual({ value: option, text: reply, attempts: 1 });
    });

    it('re-asks with invalidText and takes `invalid` after maxAttempts', async () => {
      const handle = await startValid(h, topicFlow({ maxAttempts: 2, invalidText: 'Responde 1, 2 o 3, por favor.' }));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn1 = await h.say(handle, 'quiero hablar del tiempo');
      expect(texts(turn1.replies)).toEqual(['¿Sobre qué es tu consulta?', 'Responde 1, 2 o 3, por favor.']);
      expect(turn1).toMatchObject({ status: 'waiting', waitingFor: 'reply', currentNode: 'q' });
      const turn2 = await h.say(handle, '7');
      expect(texts(turn2.replies)).toEqual(['Lo siento, no te he entendido.']);
      expect(turn2).toMatchObject({ status: 'completed', outcome: 'abandoned' });
      const result = await handle.result();
      expect(result.vars.topic).toBeUndefined();
      const s = await h.state(handle);
      expect(branchOf(s, 'q')).toBe('invalid');
      expect(outputOf(s, 'q')).toEqual({ answered: false, text: '7', attempts: 2 });
      expect((await eventsOfType(h, handle.workflowId, 'ask.invalid')).map((e) => e.data.attempts)).toEqual([1, 2]);
    });

    it('takes `timeout` when nobody answers within the timeout', async () => {
      const handle = await startValid(h, topicFlow({ timeout: '1s' }));
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'abandoned', vars: {} });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'q:timeout', 'silent:null']);
      expect(outputOf(s, 'q')).toEqual({ answered: false, attempts: 0 });
      const q = s.path[1];
      expect(Date.parse(q.leftAt!) - Date.parse(q.enteredAt)).toBeGreaterThanOrEqual(1000);
    });
  });

  describe('ask with validation', () => {
    it.each([
      ['email', { kind: 'email' }, 'ana@@example', 'Ana@Example.COM', 'ana@example.com'],
      ['phone', { kind: 'phone' }, 'llámame', '+34 600 11-22-33', '+34600112233'],
      ['number with min and max', { kind: 'number', min: 1, max: 10 }, '11', '7,5', 7.5],
      ['number below min', { kind: 'number', min: 1, max: 10 }, '0', '1', 1],
      ['regex', { kind: 'regex', pattern: '^[A-Z]{3}-\\d{3}$' }, 'abc-123', 'ABC-123', 'ABC-123'],
    ])('%s: rejects a bad reply with the default re-ask, stores the good one', async (_kind, validation, bad, good, stored) => {
      const handle = await startValid(h, validatedFlow(validation));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn1 = await h.say(handle, bad);
      expect(texts(turn1.replies)).toEqual(['Dime el dato', ES.invalidReply]);
      const turn2 = await h.say(handle, good);
      expect(texts(turn2.replies)).toEqual([`Anotado: ${stored}`]);
      const result = await handle.result();
      expect(result.vars.answer).toBe(stored);
      const s = await h.state(handle);
      expect(branchOf(s, 'q')).toBe('reply');
      expect(outputOf(s, 'q')).toEqual({ value: stored, text: good, attempts: 2 });
    });

    it('takes `invalid` after the default three bad replies', async () => {
      const handle = await startValid(h, validatedFlow({ kind: 'email' }));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      await h.say(handle, 'uno');
      await h.say(handle, 'dos');
      const turn3 = await h.say(handle, 'tres');
      expect(turn3).toMatchObject({ status: 'completed', outcome: 'abandoned', replies: [] });
      expect(branchOf(await h.state(handle), 'q')).toBe('invalid');
    });
  });

  describe('csat', () => {
    it.each([
      ['5', 5],
      ['cinco', 5],
      ['⭐⭐⭐⭐', 4],
    ])('scores %s as %d', async (reply, score) => {
      const handle = await startValid(h, csatFlow);
      const s0 = await h.until(handle, (s) => s.waitingFor === 'reply');
      expect(s0.transcript[0].buttons?.map((b) => b.value)).toEqual(['1', '2', '3', '4', '5']);
      const turn = await h.say(handle, reply);
      expect(texts(turn.replies)).toEqual(['¿Qué tal te hemos atendido? (1-5)', `Gracias por tu ${score}`]);
      const result = await handle.result();
      expect(result.vars).toEqual({ rating: score });
      const s = await h.state(handle);
      expect(branchOf(s, 'survey')).toBe('next');
      expect(outputOf(s, 'survey')).toEqual({ score });
      const events = await eventsOfType(h, handle.workflowId, 'csat');
      expect(events.map((e) => [e.node_id, e.data.score])).toEqual([['survey', score]]);
    });

    it('asks again after an answer that is not a score, then takes the valid one', async () => {
      const handle = await startValid(h, csatFlow);
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn1 = await h.say(handle, 'pues regular');
      expect(texts(turn1.replies)).toEqual(['¿Qué tal te hemos atendido? (1-5)', '¿Qué tal te hemos atendido? (1-5)']);
      const turn2 = await h.say(handle, 'un 3');
      expect(texts(turn2.replies)).toEqual(['Gracias por tu 3']);
      expect((await handle.result()).vars).toEqual({ rating: 3 });
    });

    it('takes `timeout` without an answer', async () => {
      const handle = await startValid(h, csatFlow);
      const result = await handle.result();
      expect(result.vars).toEqual({});
      const s = await h.state(handle);
      expect(branchOf(s, 'survey')).toBe('timeout');
      expect(outputOf(s, 'survey')).toEqual({ score: null });
      expect(saidTexts(s)).toEqual(['¿Qué tal te hemos atendido? (1-5)', 'Sin valoración']);
      expect(await eventsOfType(h, handle.workflowId, 'csat')).toEqual([]);
    });
  });

  it('end: sets the outcome and says its last message', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['end', 'end', { outcome: 'converted', message: 'Pedido {{ input.order }} confirmado' }],
      ],
      [['start', 'next', 'end']],
    );
    const handle = await startValid(h, def, { input: { order: 'P-1' } });
    expect(await handle.result()).toEqual({ outcome: 'converted', status: 'completed', vars: {} });
    const s = await h.state(handle);
    expect(saidTexts(s)).toEqual(['Pedido P-1 confirmado']);
    expect(outputOf(s, 'end')).toEqual({ outcome: 'converted' });
    const [finished] = await eventsOfType(h, handle.workflowId, 'run.finished');
    expect(finished.data).toEqual({ status: 'completed', outcome: 'converted' });
    expect(callsFor(h, 'updateRunIndex', handle.workflowId)).toEqual([expect.objectContaining({ status: 'completed', outcome: 'converted' })]);
  });

  it('the opening Update, sent with the start, answers with what the run said until it waits, and the first turn does not repeat it', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['hi', 'message', { text: 'Hola {{ input.name }}' }],
        ['q', 'ask', { text: '¿En qué te ayudo?', variable: 'topic' }],
        ['end', 'end', { outcome: 'resolved', message: 'Anotado: {{ vars.topic }}' }],
      ],
      [
        ['start', 'next', 'hi'],
        ['hi', 'next', 'q'],
        ['q', 'reply', 'end'],
      ],
    );
    const input: FlowRunInput = { flowId: randomUUID(), version: 1, definition: def, input: { name: 'Ana' } };
    const startWorkflowOperation = new WithStartWorkflowOperation(FLOW_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `run-${randomUUID()}`,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    const opening = await h.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation, updateId: 'opening' });
    expect(opening).toMatchObject({ status: 'waiting', waitingFor: 'reply', currentNode: 'q' });
    expect(texts(opening.replies)).toEqual(['Hola Ana', '¿En qué te ayudo?']);
    const handle = await startWorkflowOperation.workflowHandle();
    // Peeked, not delivered: the API skips them on the first turn by time (replies_delivered_until).
    const turn = await h.say(handle, 'una factura');
    expect(texts(turn.replies)).toEqual(['Hola Ana', '¿En qué te ayudo?', 'Anotado: una factura']);
    expect(turn).toMatchObject({ status: 'completed', outcome: 'resolved' });
    expect(await handle.result()).toMatchObject({ outcome: 'resolved', vars: { topic: 'una factura' } });
    // The run closed in the turn's workflow task: its last events and index row by local activities.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    expect(await eventsOfType(h, handle.workflowId, 'run.finished')).toHaveLength(1);
    expect(callsFor(h, 'updateRunIndex', handle.workflowId)).toEqual([expect.objectContaining({ status: 'completed', outcome: 'resolved' })]);
  });

  it('the opening Update of a run that ends without waiting answers with its last words', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['end', 'end', { outcome: 'converted', message: 'Listo' }],
      ],
      [['start', 'next', 'end']],
    );
    const startWorkflowOperation = new WithStartWorkflowOperation(FLOW_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `run-${randomUUID()}`,
      args: [{ flowId: randomUUID(), version: 1, definition: def }],
      workflowIdConflictPolicy: 'FAIL',
    });
    const opening = await h.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation, updateId: 'opening' });
    expect(opening).toMatchObject({ status: 'completed', outcome: 'converted', waitingFor: null });
    expect(texts(opening.replies)).toEqual(['Listo']);
  });

  it('the state query shows status, current node, waitingFor, transcript and path with timestamps', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['hi', 'message', { text: 'Hola' }],
        ['q', 'ask', { text: '¿Nombre?', variable: 'name' }],
        ['end', 'end', { outcome: 'resolved', message: 'Encantado, {{ vars.name }}' }],
      ],
      [
        ['start', 'next', 'hi'],
        ['hi', 'next', 'q'],
        ['q', 'reply', 'end'],
      ],
    );
    const handle = await startValid(h, def, { customerId: 'c-state', input: { a: 1 } });
    const waiting = await h.until(handle, (s) => s.waitingFor === 'reply');
    expect(waiting).toMatchObject({
      runId: handle.workflowId,
      customerId: 'c-state',
      status: 'waiting',
      currentNode: 'q',
      waitingFor: 'reply',
      vars: {},
      customer: null,
    });
    expect(waiting.transcript.map((t) => [t.from, t.text, t.nodeId])).toEqual([
      ['bot', 'Hola', 'hi'],
      ['bot', '¿Nombre?', 'q'],
    ]);
    expect(waiting.transcript.every((t) => isIso(t.at))).toBe(true);
    expect(pathOf(waiting)).toEqual(['start:next', 'hi:next', 'q:…']);
    expect(waiting.path.every((p) => isIso(p.enteredAt))).toBe(true);
    expect(waiting.path[2].leftAt).toBeUndefined();

    await h.say(handle, 'Luis');
    await handle.result();
    const done = await h.state(handle);
    expect(done).toMatchObject({ status: 'completed', outcome: 'resolved', currentNode: null, waitingFor: null, vars: { name: 'Luis' } });
    expect(done.transcript.map((t) => [t.from, t.text])).toEqual([
      ['bot', 'Hola'],
      ['bot', '¿Nombre?'],
      ['customer', 'Luis'],
      ['bot', 'Encantado, Luis'],
    ]);
    expect(pathOf(done)).toEqual(['start:next', 'hi:next', 'q:reply', 'end:null']);
    for (const step of done.path) {
      expect(isIso(step.leftAt)).toBe(true);
      expect(Date.parse(step.leftAt!)).toBeGreaterThanOrEqual(Date.parse(step.enteredAt));
    }
    // The ask waited for the customer, so it was left after it was entered.
    expect(Date.parse(done.path[2].leftAt!)).toBeGreaterThan(Date.parse(done.path[2].enteredAt));
  });

  it('cancellation ends the run as cancelled, with a run.finished event', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['q', 'ask', { text: '¿Algo más?', variable: 'x' }],
        ['end', 'end', { outcome: 'resolved' }],
      ],
      [
        ['start', 'next', 'q'],
        ['q', 'reply', 'end'],
      ],
    );
    const handle = await startValid(h, def);
    await h.until(handle, (s) => s.waitingFor === 'reply');
    await handle.cancel();
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const s = await h.state(handle);
    expect(s).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    const [finished] = await eventsOfType(h, handle.workflowId, 'run.finished');
    expect(finished.data).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    expect(callsFor(h, 'updateRunIndex', handle.workflowId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('a message to a finished run is rejected by the Update validator (and by the server once the workflow closed)', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['end', 'end', { outcome: 'resolved', message: 'Adiós' }],
      ],
      [['start', 'next', 'end']],
    );
    // Hold the run index update: the run is finished (status completed) but its workflow still open,
    // which is when the Update validator is the one that answers. Only the legacy type waits for an
    // activity as it closes (flowRunV2 closes in the same task), so the window is held open there.
    const release = h.fakes.hold('updateRunIndex');
    const handle = await startValid(h, def, {}, LEGACY_FLOW_RUN_WORKFLOW);
    try {
      await h.until(handle, (s) => s.status === 'completed');
      const err = await h.say(handle, 'hola').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).message).toBe('The run is completed (resolved) and takes no more messages');
      // The API maps it by type and details (contracts/failures.ts), never by the message.
      expect(cause).toMatchObject({ type: 'RunFinished', details: [{ status: 'completed', outcome: 'resolved' }] });
    } finally {
      release();
    }
    expect(await handle.result()).toMatchObject({ outcome: 'resolved', status: 'completed' });
    // The rejected message never reached the run.
    expect(saidTexts(await h.state(handle))).toEqual(['Adiós']);
    expect((await h.state(handle)).transcript.some((t) => t.from === 'customer')).toBe(false);
    // Closed: Temporal itself refuses the Update before any validator runs.
    await expect(h.say(handle, 'hola')).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('the Update validator rejects malformed messages without touching the run', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['q', 'ask', { text: '¿Sí?', variable: 'x' }],
        ['end', 'end', { outcome: 'resolved' }],
      ],
      [
        ['start', 'next', 'q'],
        ['q', 'reply', 'end'],
      ],
    );
    const handle = await startValid(h, def);
    await h.until(handle, (s) => s.waitingFor === 'reply');
    for (const [message, why, field] of [
      [{ text: '   ' }, 'message.text must be a non-empty string', 'text'],
      [{ text: 'hola', from: 'robot' }, 'message.from must be "customer" or "agent"', 'from'],
    ] as const) {
      const err = await h.say(handle, message as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({ message: why, type: 'InvalidMessage', details: [{ field }] });
    }
    expect((await h.state(handle)).transcript.map((t) => t.from)).toEqual(['bot']);
    await h.say(handle, 'sí');
    expect(await handle.result()).toMatchObject({ vars: { x: 'sí' } });
  });
});
