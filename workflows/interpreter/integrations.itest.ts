import { randomUUID } from 'node:crypto';
import { InterpreterHarness } from '../../test/interpreter/harness';
import {
  branchOf,
  callsFor,
  eventsOfType,
  expectNodeFailed,
  injected,
  outputOf,
  pathOf,
  saidTexts,
  startValid,
  texts,
  greetingChildFlow,
  validFlow,
} from '../../test/interpreter/spec-util';

type NodeSpec = [string, string, Record<string, unknown>];
type EdgeSpec = [string, string, string];

/** start → the node under test → one end per branch (outcome = branch name). */
function around(id: string, type: string, data: Record<string, unknown>, branches: string[], before: NodeSpec[] = []): ReturnType<typeof validFlow> {
  const chain = ['start', ...before.map((b) => b[0]), id];
  return validFlow(
    [['start', 'start', { trigger: 'api' }], ...before, [id, type, data], ...branches.map((b): NodeSpec => [`end_${b}`, 'end', { outcome: b }])],
    [...chain.slice(1).map((target, i): EdgeSpec => [chain[i], 'next', target]), ...branches.map((b): EdgeSpec => [id, b, `end_${b}`])],
  );
}

describe('interpreter: AI, CRM, notification and integration nodes', () => {
  const h = new InterpreterHarness();
  beforeAll(async () => {
    await h.setup();
    h.fakes.knowledge.push(
      { id: 'kb-password', title: 'Cambiar la contraseña', keywords: ['cambiar', 'contrasena'], answer: 'Ve a Ajustes › Seguridad › Cambiar contraseña.' },
      { id: 'kb-refund', title: 'Reembolsos', keywords: ['reembolso', 'devolucion', 'dinero'], answer: 'Los reembolsos tardan 5 días hábiles.' },
    );
    h.fakes.customers.set('c-ana', {
      id: 'c-ana',
      name: 'Ana',
      email: 'ana@example.com',
      phone: '+34600111222',
      attributes: { tier: 'vip', plan: 'basic', city: 'Madrid' },
      tags: ['trial', 'newsletter'],
    });
  }, 60_000);
  afterAll(() => h.teardown());

  describe('ai.classify', () => {
    const classify = around(
      'intent',
      'ai.classify',
      {
        text: '{{ input.text }}',
        intents: [
          { id: 'billing', examples: ['factura cobro'] },
          { id: 'shipping', examples: ['pedido paquete envío'] },
          { id: 'account', examples: ['contraseña acceso'] },
        ],
      },
      ['billing', 'shipping', 'account', 'fallback'],
    );

    it.each([
      ['factura', 'billing'],
      ['mi paquete', 'shipping'],
      ['contraseña', 'account'],
      ['buenos días a todos', 'fallback'],
    ])('"%s" → %s', async (text, intent) => {
      const handle = await startValid(h, classify, { input: { text } });
      expect(await handle.result()).toMatchObject({ outcome: intent });
      const s = await h.state(handle);
      expect(branchOf(s, 'intent')).toBe(intent);
      expect(outputOf(s, 'intent')).toMatchObject({ intent: intent === 'fallback' ? null : intent, confidence: expect.any(Number) });
      const [call] = callsFor(h, 'aiClassify', handle.workflowId);
      expect(call).toMatchObject({ text, locale: 'es', ctx: { nodeId: 'intent', idempotencyKey: `${handle.workflowId}:intent:1` } });
      expect(call.intents.map((i: { id: string }) => i.id)).toEqual(['billing', 'shipping', 'account']);
      const [classified] = await eventsOfType(h, handle.workflowId, 'ai.classified');
      expect(classified.data).toMatchObject({ intent: intent === 'fallback' ? null : intent, engine: 'offline' });
    });

    it('records which engine answered, and why the offline one did when the LLM failed', async () => {
      h.fakes.answerNext('aiClassify', { intent: 'billing', confidence: 0.91, scores: { billing: 0.91 }, engine: 'offline', llmFailure: 'LlmTimeout' });
      const handle = await startValid(h, classify, { input: { text: 'me cobraron dos veces' } });
      expect(await handle.result()).toMatchObject({ outcome: 'billing' });
      const [classified] = await eventsOfType(h, handle.workflowId, 'ai.classified');
      expect(classified.data).toEqual({ intent: 'billing', confidence: 0.91, engine: 'offline', llmFailure: 'LlmTimeout' });
    });

    it('a classifier failure takes `fallback`', async () => {
      h.fakes.failNext('aiClassify', 1, injected('model unavailable'));
      const handle = await startValid(h, classify, { input: { text: 'factura' } });
      expect(await handle.result()).toMatchObject({ outcome: 'fallback' });
      expect(outputOf(await h.state(handle), 'intent')).toEqual({ intent: null, error: 'model unavailable' });
    });
  });

  it.each([
    ['esto es terrible', 'negative'],
    ['quiero saber el estado del pedido', 'neutral'],
    ['gracias, genial', 'positive'],
  ])('ai.sentiment: the last customer message "%s" is %s', async (text, label) => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['q', 'ask', { text: '¿Cómo va todo?', variable: 'said' }],
        ['mood', 'ai.sentiment', {}],
        ['negative', 'end', { outcome: 'negative' }],
        ['neutral', 'end', { outcome: 'neutral' }],
        ['positive', 'end', { outcome: 'positive' }],
      ],
      [
        ['start', 'next', 'q'],
        ['q', 'reply', 'mood'],
        ['mood', 'negative', 'negative'],
        ['mood', 'neutral', 'neutral'],
        ['mood', 'positive', 'positive'],
      ],
    );
    const handle = await startValid(h, def);
    await h.until(handle, (s) => s.waitingFor === 'reply');
    expect(await h.say(handle, text)).toMatchObject({ status: 'completed', outcome: label });
    const s = await h.state(handle);
    expect(branchOf(s, 'mood')).toBe(label);
    expect(outputOf(s, 'mood')).toMatchObject({ label });
    expect(callsFor(h, 'aiSentiment', handle.workflowId)).toEqual([expect.objectContaining({ text })]);
    const [event] = await eventsOfType(h, handle.workflowId, 'ai.sentiment');
    expect(event.data).toMatchObject({ label });
  });

  it('ai.sentiment: a model failure takes `neutral`', async () => {
    h.fakes.failNext('aiSentiment', 1, injected('sentiment model down'));
    const def = around('mood', 'ai.sentiment', { text: 'esto es terrible' }, ['negative', 'neutral', 'positive']);
    const handle = await startValid(h, def);
    expect(await handle.result()).toMatchObject({ outcome: 'neutral' });
    expect(outputOf(await h.state(handle), 'mood')).toEqual({ label: 'neutral', error: 'sentiment model down' });
    const [event] = await eventsOfType(h, handle.workflowId, 'node.error');
    expect(event).toMatchObject({ node_id: 'mood', data: { message: 'sentiment model down' } });
  });

  describe('ai.reply', () => {
    const replyFlow = (data: Record<string, unknown>) =>
      validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['q', 'ask', { text: '¿En qué te ayudo?', variable: 'question' }],
          ['answer', 'ai.reply', { minConfidence: 0.5, collection: 'support', ...data }],
          ['done', 'end', { outcome: 'resolved' }],
          ['human', 'end', { outcome: 'unsure', message: 'Te paso con una persona.' }],
        ],
        [
          ['start', 'next', 'q'],
          ['q', 'reply', 'answer'],
          ['answer', 'answered', 'done'],
          ['answer', 'unsure', 'human'],
        ],
      );

    it('answered: the answer is sent to the customer', async () => {
      const handle = await startValid(h, replyFlow({}));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, '¿Cómo puedo cambiar la contraseña?');
      expect(texts(turn.replies)).toEqual(['¿En qué te ayudo?', 'Ve a Ajustes › Seguridad › Cambiar contraseña.']);
      expect(turn).toMatchObject({ status: 'completed', outcome: 'resolved' });
      const s = await h.state(handle);
      expect(branchOf(s, 'answer')).toBe('answered');
      expect(outputOf(s, 'answer')).toEqual({
        answer: 'Ve a Ajustes › Seguridad › Cambiar contraseña.',
        confidence: 1,
        sources: [{ id: 'kb-password', title: 'Cambiar la contraseña', score: 1 }],
      });
      const [call] = callsFor(h, 'aiReply', handle.workflowId);
      expect(call).toMatchObject({ question: '¿Cómo puedo cambiar la contraseña?', collection: 'support', minConfidence: 0.5 });
      expect(call.conversation.map((t: { from: string }) => t.from)).toEqual(['bot', 'customer']);
      const [event] = await eventsOfType(h, handle.workflowId, 'ai.reply');
      expect(event.data).toMatchObject({ answered: true, sources: ['kb-password'] });
    });

    it('answered on email: the answer is delivered by email too', async () => {
      const def = around('answer', 'ai.reply', { question: '{{ input.question }}', minConfidence: 0.5 }, ['answered', 'unsure']);
      const handle = await startValid(h, def, { channel: 'email', input: { email: 'eva@example.com', question: 'quiero cambiar la contraseña' } });
      expect(await handle.result()).toMatchObject({ outcome: 'answered' });
      expect(callsFor(h, 'notify', handle.workflowId)).toEqual([
        expect.objectContaining({ channel: 'email', to: 'eva@example.com', purpose: 'message', text: 'Ve a Ajustes › Seguridad › Cambiar contraseña.' }),
      ]);
    });

    it('unsure: nothing is sent and the flow goes on by `unsure`', async () => {
      const handle = await startValid(h, replyFlow({}));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, 'quiero hablar de fútbol');
      expect(texts(turn.replies)).toEqual(['¿En qué te ayudo?', 'Te paso con una persona.']);
      const s = await h.state(handle);
      expect(branchOf(s, 'answer')).toBe('unsure');
      expect(outputOf(s, 'answer')).toMatchObject({ answer: null });
    });

    it('a model failure takes `unsure`', async () => {
      h.fakes.failNext('aiReply', 1, injected('LLM timeout'));
      const handle = await startValid(h, replyFlow({}));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, '¿Cómo puedo cambiar la contraseña?');
      expect(texts(turn.replies)).toEqual(['¿En qué te ayudo?', 'Te paso con una persona.']);
      expect(outputOf(await h.state(handle), 'answer')).toEqual({ answer: null, error: 'LLM timeout' });
    });

    it('sendReply: false keeps the answer in the output only', async () => {
      const handle = await startValid(h, replyFlow({ sendReply: false, question: 'reembolso de mi dinero' }));
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, 'hola');
      expect(texts(turn.replies)).toEqual(['¿En qué te ayudo?']);
      const s = await h.state(handle);
      expect(branchOf(s, 'answer')).toBe('answered');
      expect(outputOf(s, 'answer')).toMatchObject({ answer: 'Los reembolsos tardan 5 días hábiles.' });
      expect(callsFor(h, 'aiReply', handle.workflowId)[0].question).toBe('reembolso de mi dinero');
    });
  });

  describe('crm', () => {
    const lookupFlow = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['lookup', 'crm.lookup', { by: 'email', value: '{{ input.email }}' }],
        ['vip', 'condition', { rule: { '==': [{ var: 'customer.tier' }, 'vip'] } }],
        ['hi', 'message', { text: 'Hola {{ customer.name }} ({{ customer.tier }}, {{ customer.attributes.city }})' }],
        ['end', 'end', { outcome: 'found' }],
        ['plain', 'end', { outcome: 'found-not-vip' }],
        ['unknown', 'end', { outcome: 'notFound', message: 'No te encuentro, {{ input.email }}' }],
      ],
      [
        ['start', 'next', 'lookup'],
        ['lookup', 'found', 'vip'],
        ['lookup', 'notFound', 'unknown'],
        ['vip', 'true', 'hi'],
        ['vip', 'false', 'plain'],
        ['hi', 'next', 'end'],
      ],
    );

    it('crm.lookup found: loads the customer (attributes readable as customer.<name>)', async () => {
      const handle = await startValid(h, lookupFlow, { input: { email: 'ana@example.com' } });
      expect(await handle.result()).toMatchObject({ outcome: 'found' });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'lookup:found', 'vip:true', 'hi:next', 'end:null']);
      expect(saidTexts(s)).toEqual(['Hola Ana (vip, Madrid)']);
      expect(s.customer).toMatchObject({ id: 'c-ana', name: 'Ana', tier: 'vip', attributes: { tier: 'vip' } });
      expect(outputOf(s, 'lookup')).toMatchObject({ found: true, customer: { id: 'c-ana' } });
      expect(callsFor(h, 'crmLookup', handle.workflowId)).toEqual([expect.objectContaining({ by: 'email', value: 'ana@example.com' })]);
    });

    it('crm.lookup notFound', async () => {
      const handle = await startValid(h, lookupFlow, { input: { email: 'nadie@example.com' } });
      expect(await handle.result()).toMatchObject({ outcome: 'notFound' });
      const s = await h.state(handle);
      expect(branchOf(s, 'lookup')).toBe('notFound');
      expect(s.customer).toBeNull();
      expect(saidTexts(s)).toEqual(['No te encuentro, nadie@example.com']);
    });

    it('crm.update merges fields and adds and removes tags', async () => {
      h.fakes.customers.set('c-upd', { id: 'c-upd', name: 'Eva', attributes: { plan: 'basic', city: 'Sevilla' }, tags: ['trial', 'newsletter'] });
      const def = around('update', 'crm.update', { fields: { plan: '{{ input.plan }}', upgradedBy: 'bot' }, addTags: ['customer'], removeTags: ['trial'] }, [
        'next',
      ]);
      const handle = await startValid(h, def, { customerId: 'c-upd', input: { plan: 'pro' } });
      await handle.result();
      expect(h.fakes.customers.get('c-upd')).toEqual({
        id: 'c-upd',
        name: 'Eva',
        attributes: { plan: 'pro', city: 'Sevilla', upgradedBy: 'bot' },
        tags: ['newsletter', 'customer'],
      });
      const [call] = callsFor(h, 'crmUpdate', handle.workflowId);
      expect(call).toMatchObject({ customerId: 'c-upd', fields: { plan: 'pro', upgradedBy: 'bot' }, addTags: ['customer'], removeTags: ['trial'] });
      const s = await h.state(handle);
      expect(s.customer).toMatchObject({ id: 'c-upd', plan: 'pro', tags: ['newsletter', 'customer'] });
      expect(outputOf(s, 'update')).toEqual({ updated: true });
    });

    it('crm.ticket passes an idempotency key per node visit and records the ticket', async () => {
      // A bounded retry loop visits the ticket node twice: each visit has its own key.
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['init', 'setVariables', { assignments: [{ variable: 'n', value: 0 }] }],
          ['more', 'condition', { rule: { '<': [{ var: 'vars.n' }, 2] } }],
          ['ticket', 'crm.ticket', { subject: 'Caso de {{ input.name }} #{{ vars.n }}', description: 'Cliente {{ input.name }}', priority: 'high' }],
          ['step', 'setVariables', { assignments: [{ variable: 'n', rule: { '+': [{ var: 'vars.n' }, 1] } }] }],
          ['end', 'end', { outcome: 'completed' }],
        ],
        [
          ['start', 'next', 'init'],
          ['init', 'next', 'more'],
          ['more', 'true', 'ticket'],
          ['more', 'false', 'end'],
          ['ticket', 'next', 'step'],
          ['step', 'next', 'more'],
        ],
      );
      const handle = await startValid(h, def, { customerId: 'c-ana', input: { name: 'Ana' } });
      await handle.result();
      const id = handle.workflowId;
      const calls = callsFor(h, 'crmTicket', id);
      expect(calls.map((c) => [c.ctx.idempotencyKey, c.subject, c.priority, c.customerId, c.description])).toEqual([
        [`${id}:ticket:1`, 'Caso de Ana #0', 'high', 'c-ana', 'Cliente Ana'],
        [`${id}:ticket:2`, 'Caso de Ana #1', 'high', 'c-ana', 'Cliente Ana'],
      ]);
      expect(outputOf(await h.state(handle), 'ticket')).toEqual({ ticketId: `T-${id}:ticket:2` });
      expect((await eventsOfType(h, id, 'ticket.created')).map((e) => e.data.ticketId)).toEqual([`T-${id}:ticket:1`, `T-${id}:ticket:2`]);
    });

    it('an activity failure on a node without an error branch fails the run naming the node', async () => {
      h.fakes.failNext('crmTicket', 1, injected('CRM is down'));
      const def = around('ticket', 'crm.ticket', { subject: 'Caso', priority: 'normal' }, ['next']);
      const handle = await startValid(h, def);
      const failure = await expectNodeFailed(handle, 'ticket');
      expect(failure.message).toBe('Node "ticket" failed: CRM is down');
      const s = await h.state(handle);
      expect(s).toMatchObject({ status: 'failed', outcome: 'failed', error: { nodeId: 'ticket', message: 'Node "ticket" failed: CRM is down' } });
      const [finished] = await eventsOfType(h, handle.workflowId, 'run.finished');
      expect(finished).toMatchObject({ node_id: 'ticket', data: { status: 'failed', outcome: 'failed', error: 'Node "ticket" failed: CRM is down' } });
    });
  });

  describe('notify', () => {
    const notifyFlow = around(
      'alert',
      'notify',
      { channel: 'email', to: '{{ input.team }}@example.com', subject: 'Caso {{ input.id }}', text: 'Revisad el caso {{ input.id }}' },
      ['next', 'error'],
    );

    it('next: the notification goes out rendered', async () => {
      const handle = await startValid(h, notifyFlow, { input: { team: 'soporte', id: 'K-9' } });
      expect(await handle.result()).toMatchObject({ outcome: 'next' });
      expect(callsFor(h, 'notify', handle.workflowId)).toEqual([
        expect.objectContaining({ channel: 'email', to: 'soporte@example.com', subject: 'Caso K-9', text: 'Revisad el caso K-9', purpose: 'notify' }),
      ]);
      const s = await h.state(handle);
      expect(outputOf(s, 'alert')).toMatchObject({ outboxId: expect.stringMatching(/^o-\d+$/), status: 'pending' });
      const [event] = await eventsOfType(h, handle.workflowId, 'notification');
      expect(event.data).toEqual({ channel: 'email', status: 'pending' });
    });

    it('error: a failed notification takes the error branch', async () => {
      h.fakes.failNext('notify', 1, injected('SMTP refused the recipient'));
      const handle = await startValid(h, notifyFlow, { input: { team: 'soporte', id: 'K-10' } });
      expect(await handle.result()).toMatchObject({ outcome: 'error' });
      const s = await h.state(handle);
      expect(branchOf(s, 'alert')).toBe('error');
      expect(outputOf(s, 'alert')).toEqual({ error: 'SMTP refused the recipient' });
      const [event] = await eventsOfType(h, handle.workflowId, 'node.error');
      expect(event).toMatchObject({ node_id: 'alert', data: { message: 'SMTP refused the recipient' } });
    });
  });

  describe('http', () => {
    const httpFlow = (url: string) =>
      around(
        'call',
        'http',
        { method: 'POST', url, headers: { 'X-Customer': '{{ input.customer }}' }, body: '{"id": "{{ input.customer }}"}', timeout: '5s', variable: 'response' },
        ['ok', 'error'],
      );

    it('ok: stores the response body in the variable', async () => {
      const handle = await startValid(h, httpFlow('https://api.example.com/orders/{{ input.customer }}'), { input: { customer: 'c-1' } });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'ok', vars: { response: { echoed: '{"id": "c-1"}', url: 'https://api.example.com/orders/c-1' } } });
      expect(outputOf(await h.state(handle), 'call')).toEqual({
        ok: true,
        status: 200,
        body: { echoed: '{"id": "c-1"}', url: 'https://api.example.com/orders/c-1' },
      });
      expect(callsFor(h, 'httpRequest', handle.workflowId)).toEqual([
        expect.objectContaining({ method: 'POST', headers: { 'X-Customer': 'c-1' }, timeoutMs: 5000 }),
      ]);
    });

    it('error: a 503 takes the error branch and leaves the variable unset', async () => {
      const handle = await startValid(h, httpFlow('https://api.example.com/fail'), { input: { customer: 'c-1' } });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'error', vars: {} });
      expect(outputOf(await h.state(handle), 'call')).toEqual({ ok: false, status: 503, body: null });
    });

    it('error: an activity failure takes the error branch too', async () => {
      h.fakes.failNext('httpRequest', 1, injected('URL refused: private address'));
      const handle = await startValid(h, httpFlow('https://10.0.0.1/x'), { input: { customer: 'c-1' } });
      expect(await handle.result()).toMatchObject({ outcome: 'error', vars: {} });
      expect(outputOf(await h.state(handle), 'call')).toEqual({ ok: false, error: 'URL refused: private address' });
    });
  });

  it.each([
    [0.92, 'critical'],
    [0.6, 'high'],
    [0.2, 'default'],
  ])('score.churn %d sets the variable and the switch routes it to %s', async (risk, band) => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['score', 'score.churn', { variable: 'risk', features: { risk: { var: 'input.risk' }, orders: { '+': [{ var: 'input.orders' }, 0] } } }],
        [
          'band',
          'switch',
          {
            cases: [
              { id: 'critical', rule: { '>=': [{ var: 'vars.risk' }, 0.8] } },
              { id: 'high', rule: { '>=': [{ var: 'vars.risk' }, 0.5] } },
            ],
          },
        ],
        ['critical', 'end', { outcome: 'critical' }],
        ['high', 'end', { outcome: 'high' }],
        ['low', 'end', { outcome: 'default' }],
      ],
      [
        ['start', 'next', 'score'],
        ['score', 'next', 'band'],
        ['band', 'critical', 'critical'],
        ['band', 'high', 'high'],
        ['band', 'default', 'low'],
      ],
    );
    const handle = await startValid(h, def, { input: { risk, orders: 4 } });
    expect(await handle.result()).toMatchObject({ outcome: band, vars: { risk } });
    expect(callsFor(h, 'scoreChurn', handle.workflowId)).toEqual([expect.objectContaining({ features: { risk, orders: 4 } })]);
    const s = await h.state(handle);
    expect(outputOf(s, 'score')).toMatchObject({ score: risk, model: 'fake' });
    const [event] = await eventsOfType(h, handle.workflowId, 'score.churn');
    expect(event.data).toEqual({ score: risk });
  });

  describe('subflow', () => {
    const parent = (flowId: string) =>
      validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['sub', 'subflow', { flowId, input: { name: '{{ input.name }}', when: '{{ input.when }}' } }],
          ['tell', 'message', { text: '{{ nodes.sub.output.vars.greeting }}' }],
          ['done', 'end', { outcome: 'completed' }],
          ['broken', 'end', { outcome: 'failed', message: 'El subflujo falló' }],
        ],
        [
          ['start', 'next', 'sub'],
          ['sub', 'completed', 'tell'],
          ['sub', 'failed', 'broken'],
          ['tell', 'next', 'done'],
        ],
      );

    // Flow ids are UUIDs (the run_events and runs tables store them as uuid).
    const CHILD_GREET = randomUUID();
    const CHILD_BROKEN = randomUUID();

    beforeAll(() => {
      h.fakes.flows.set(CHILD_GREET, {
        version: 3,
        definition: greetingChildFlow(),
      });
      // A child that fails at run time: its `until` renders a value that is not a date.
      h.fakes.flows.set(CHILD_BROKEN, {
        version: 1,
        definition: validFlow(
          [
            ['start', 'start', { trigger: 'api' }],
            ['pause', 'delay', { until: '{{ input.when }}' }],
            ['end', 'end', { outcome: 'completed' }],
          ],
          [
            ['start', 'next', 'pause'],
            ['pause', 'next', 'end'],
          ],
        ),
      });
    });

    it('completed: the child runs as a child workflow and its outcome and vars come back', async () => {
      const handle = await startValid(h, parent(CHILD_GREET), { input: { name: 'Ana' }, customerId: 'c-ana' });
      expect(await handle.result()).toMatchObject({ outcome: 'completed' });
      const s = await h.state(handle);
      expect(branchOf(s, 'sub')).toBe('completed');
      expect(outputOf(s, 'sub')).toEqual({ outcome: 'enriched', vars: { greeting: 'Hola Ana' } });
      expect(saidTexts(s)).toEqual(['Hola Ana']);
      const child = h.client.workflow.getHandle(`${handle.workflowId}.sub.sub.1`);
      expect(await child.result()).toMatchObject({ outcome: 'enriched' });
      const childState = await h.state(child);
      expect(childState).toMatchObject({ flowId: CHILD_GREET, version: 3, customerId: 'c-ana' });
      const [started] = await eventsOfType(h, handle.workflowId, 'subflow.started');
      expect(started.data).toEqual({ flowId: CHILD_GREET, version: 3, childRunId: child.workflowId });
    });

    it('failed: an unknown flow id', async () => {
      const missing = randomUUID();
      const handle = await startValid(h, parent(missing), { input: { name: 'Ana' } });
      expect(await handle.result()).toMatchObject({ outcome: 'failed' });
      const s = await h.state(handle);
      expect(branchOf(s, 'sub')).toBe('failed');
      expect(outputOf(s, 'sub')).toEqual({ error: `flow ${missing} is not published` });
      expect(saidTexts(s)).toEqual(['El subflujo falló']);
    });

    it('failed: a child run that fails', async () => {
      const handle = await startValid(h, parent(CHILD_BROKEN), { input: { name: 'Ana', when: 'pronto' } });
      expect(await handle.result()).toMatchObject({ outcome: 'failed' });
      const s = await h.state(handle);
      expect(branchOf(s, 'sub')).toBe('failed');
      expect(outputOf(s, 'sub')?.error).toContain('"until" rendered "pronto"');
    });
  });

  describe('custom activity', () => {
    const loyalty = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['points', 'activity:loyaltyPoints', { input: { customerId: '{{ input.customerId }}', bonus: 5 } }],
        ['tell', 'message', { text: 'Tienes {{ nodes.points.output.points }} puntos' }],
        ['done', 'end', { outcome: 'completed' }],
        ['oops', 'end', { outcome: 'error', message: 'No pudimos consultar tus puntos' }],
      ],
      [
        ['start', 'next', 'points'],
        ['points', 'ok', 'tell'],
        ['points', 'error', 'oops'],
        ['tell', 'next', 'done'],
      ],
    );

    it('ok: the activity is called with the rendered input and its output is readable', async () => {
      const handle = await startValid(h, loyalty, { input: { customerId: 'abcd' } });
      expect(await handle.result()).toMatchObject({ outcome: 'completed' });
      const s = await h.state(handle);
      expect(branchOf(s, 'points')).toBe('ok');
      expect(outputOf(s, 'points')).toEqual({ points: 400 });
      expect(saidTexts(s)).toEqual(['Tienes 400 puntos']);
      expect(callsFor(h, 'custom.loyaltyPoints', handle.workflowId)).toEqual([
        expect.objectContaining({ input: { customerId: 'abcd', bonus: 5 }, ctx: expect.objectContaining({ nodeId: 'points' }) }),
      ]);
    });

    it('error: a failure takes the error branch', async () => {
      h.fakes.failNext('custom.loyaltyPoints', 1, injected('loyalty API down'));
      const handle = await startValid(h, loyalty, { input: { customerId: 'abcd' } });
      expect(await handle.result()).toMatchObject({ outcome: 'error' });
      const s = await h.state(handle);
      expect(branchOf(s, 'points')).toBe('error');
      expect(outputOf(s, 'points')).toEqual({ error: 'loyalty API down' });
      expect(saidTexts(s)).toEqual(['No pudimos consultar tus puntos']);
    });
  });
});
