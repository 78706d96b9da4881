/**
 * The seed journeys of `workflows/language/examples`, run end to end on the interpreter.
 *
 * Long timers (hours, days) are exercised with shortened durations on the real dev server here,
 * because the time-skipping test server needs a download: each journey is cloned and its `1h`, `24h`,
 * `5m` … replaced with `1s`/`2s` where the path under test waits on them. Everything else in the flows
 * is as shipped, and every clone still passes `validateFlow`.
 */
import type { FlowDefinition, FlowNode } from '../language';
import { abExperiment, abandonedCart, churnRouting, supportTriage } from '../language';
import { InterpreterHarness } from '../../test/interpreter/harness';
import { callsFor, eventsOfType, expectValid, outputOf, pathOf, saidTexts, startValid, texts } from '../../test/interpreter/spec-util';
import { pickVariant, stableUnit } from './hash';
import { DEFAULT_TEXTS } from './texts';
import type { FlowRunInput } from '../../contracts/run';

/** The node fields these tests shorten. */
type PatchableData = { tiers: { sla: string }[]; duration: string; timeout: string };

/** A deep copy of a seed flow with some nodes' data patched (e.g. shorter durations). */
function shorten(def: FlowDefinition, patches: Record<string, (data: PatchableData) => void>): FlowDefinition {
  const copy: FlowDefinition = JSON.parse(JSON.stringify(def));
  for (const [id, patch] of Object.entries(patches)) {
    const node = copy.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id}`);
    patch(node.data as PatchableData);
  }
  return expectValid(copy);
}

/**
 * The run's channel as the API passes it (apps/api/runs: `dto.channel ?? start.channel ?? 'chat'`).
 * The interpreter reads only `FlowRunInput.channel`, not the start node.
 */
function channelOf(def: FlowDefinition): FlowRunInput['channel'] {
  const start = def.nodes.find((n: FlowNode) => n.type === 'start');
  return (start?.data as { channel?: FlowRunInput['channel'] }).channel;
}

const DAY = 24 * 60 * 60 * 1000;

describe('interpreter: seed journeys', () => {
  const h = new InterpreterHarness();
  beforeAll(async () => {
    await h.setup();
    h.fakes.knowledge.push({
      id: 'kb-double-charge',
      title: 'Cobros duplicados',
      keywords: ['cobrado', 'dos', 'veces'],
      answer: 'Si te hemos cobrado dos veces, te devolvemos el importe en 3-5 días.',
    });
  }, 60_000);
  afterAll(() => h.teardown());

  describe('supportTriage', () => {
    it('a calm billing question is answered from the knowledge base, then CSAT', async () => {
      const def = expectValid(supportTriage);
      const handle = await startValid(h, def, { channel: channelOf(def), customerId: 'st-calm' });
      await h.until(handle, (s) => s.waitingFor === 'reply' && s.currentNode === 'ask');
      const turn1 = await h.say(handle, 'Hola, me han cobrado dos veces la factura');
      expect(texts(turn1.replies)).toEqual([
        '¡Hola! Soy el asistente de soporte.',
        'Cuéntame, ¿en qué puedo ayudarte?',
        'Si te hemos cobrado dos veces, te devolvemos el importe en 3-5 días.',
        '¿Cómo valorarías la ayuda recibida, de 1 a 5?',
      ]);
      expect(turn1.replies[3].buttons?.map((b) => b.value)).toEqual(['1', '2', '3', '4', '5']);
      expect(turn1).toMatchObject({ status: 'waiting', waitingFor: 'reply', currentNode: 'csat' });

      const turn2 = await h.say(handle, '5');
      expect(texts(turn2.replies)).toEqual(['¡Gracias por escribirnos!']);
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'resolved', vars: { problem: 'Hola, me han cobrado dos veces la factura', csat: 5 } });

      const s = await h.state(handle);
      expect(pathOf(s)).toEqual([
        'start:next',
        'greet:next',
        'ask:reply',
        'sentiment:neutral',
        'classify:billing',
        'reply:answered',
        'csat:next',
        'endResolved:null',
      ]);
      expect(outputOf(s, 'reply')).toMatchObject({ sources: [{ id: 'kb-double-charge' }] });
      expect(callsFor(h, 'aiReply', handle.workflowId)[0]).toMatchObject({ collection: 'support', minConfidence: 0.6 });
      expect(callsFor(h, 'notify', handle.workflowId)).toEqual([]); // chat: replies go back through the Update
      const [started] = await eventsOfType(h, handle.workflowId, 'run.started');
      expect(started.data).toEqual({ trigger: 'message' });
      expect((await eventsOfType(h, handle.workflowId, 'csat')).map((e) => e.data.score)).toEqual([5]);
      const [finished] = await eventsOfType(h, handle.workflowId, 'run.finished');
      expect(finished.data).toEqual({ status: 'completed', outcome: 'resolved' });
    });

    it('an angry message goes up the two-tier ladder (tier 1 SLA shortened to 1 s) and an agent resolves it', async () => {
      const def = shorten(supportTriage, { escalate: (d) => (d.tiers[0].sla = '1s') });
      const handle = await startValid(h, def, { channel: channelOf(def), customerId: 'st-angry' });
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn1 = await h.say(handle, 'Estoy harto, el pedido llegó roto y esto es terrible');
      expect(texts(turn1.replies)).toEqual([
        '¡Hola! Soy el asistente de soporte.',
        'Cuéntame, ¿en qué puedo ayudarte?',
        'Te paso con una persona del equipo; enseguida te atiende.',
      ]);
      expect(turn1).toMatchObject({ waitingFor: 'agent', currentNode: 'escalate' });

      // Tier 1 (#soporte) does not accept within its SLA: tier 2 is alerted by email and SMS.
      await h.until(handle, (s) => s.escalation?.tier === 1);
      const alerts = callsFor(h, 'notify', handle.workflowId);
      expect(alerts.map((c) => `${c.channel}:${c.to}`)).toEqual(['slack:#soporte', 'email:supervisores@example.com', 'sms:+34600000000']);
      for (const alert of alerts) {
        expect(alert.purpose).toBe('escalation');
        expect(alert.text).toContain('Customer said: Estoy harto, el pedido llegó roto y esto es terrible');
      }

      await h.signal(handle, { type: 'agent.accepted', id: 'acc-1', data: { agent: 'Marta' } });
      await h.until(handle, (s) => s.escalation?.status === 'accepted');
      const turn2 = await h.say(handle, '¿hola?');
      expect(turn2.replies.map((r) => [r.from, r.text])).toEqual([
        ['bot', 'Seguimos buscando a alguien disponible, gracias por tu paciencia.'],
        ['system', 'Marta se ha unido a la conversación.'],
      ]);

      await h.signal(handle, { type: 'agent.resolved', id: 'res-1', data: { agent: 'Marta' } });
      expect(await handle.result()).toMatchObject({ outcome: 'escalated' });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'greet:next', 'ask:reply', 'sentiment:negative', 'escalate:resolved', 'endEscalated:null']);
      expect(outputOf(s, 'escalate')).toEqual({ outcome: 'resolved', tier: 1, agent: { name: 'Marta' } });
      expect(saidTexts(s).at(-1)).toBe(DEFAULT_TEXTS.es.escalationResolved);
      expect(callsFor(h, 'aiClassify', handle.workflowId)).toEqual([]);
      const ladder = (await h.events(handle.workflowId)).filter((e) => e.type.startsWith('escalation.')).map((e) => `${e.type}:${e.data.tier}`);
      expect(ladder).toEqual([
        'escalation.tier:0',
        'escalation.sla_missed:0',
        'escalation.tier:1',
        'escalation.accepted:1',
        'escalation.relayed:undefined',
        'escalation.resolved:1',
      ]);
    });
  });

  describe('abandonedCart (first wait 1h → 1s, purchase wait 24h → 2s)', () => {
    const def = shorten(abandonedCart, {
      waitFirstHour: (d) => (d.timeout = '1s'),
      waitPurchase: (d) => (d.timeout = '2s'),
    });
    const cart = (id: string, total: number) => ({ id, total, items: [{ sku: 'zapatillas' }, { sku: 'calcetines' }] });

    it('a purchase of this cart arrives: converted', async () => {
      const handle = await startValid(h, def, { channel: channelOf(def), input: { email: 'leo@example.com', cart: cart('cart-1', 120) } });
      await h.until(handle, (s) => s.currentNode === 'waitPurchase' && s.waitingFor === 'event');
      // The reminder went out by email (the run's channel) after the delay.
      expect(callsFor(h, 'notify', handle.workflowId)).toEqual([
        expect.objectContaining({
          channel: 'email',
          to: 'leo@example.com',
          purpose: 'message',
          text: 'Hola , te has dejado 2 producto(s) en el carrito. ¡Te lo guardamos!',
        }),
      ]);
      await h.signal(handle, { type: 'purchase.completed', id: 'buy-other', data: { cartId: 'another-cart', orderId: 'o-1' } });
      await h.signal(handle, { type: 'purchase.completed', id: 'buy-1', data: { cartId: 'cart-1', orderId: 'o-2' } });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'cart-1', orderId: 'o-2' } } });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'waitFirstHour:timeout', 'reminder:next', 'waitPurchase:event', 'goal:next', 'endConverted:null']);
      const [started] = await eventsOfType(h, handle.workflowId, 'run.started');
      expect(started.data).toEqual({ trigger: 'event' });
      const [goal] = await eventsOfType(h, handle.workflowId, 'goal');
      expect(goal.data).toEqual({ goal: 'purchase', value: 1, experiments: {} });
      expect(callsFor(h, 'notify', handle.workflowId)).toHaveLength(1); // no offer
    });

    it('a purchase within the first hour: converted, and no reminder is sent', async () => {
      const slow = shorten(abandonedCart, { waitFirstHour: (d) => (d.timeout = '1h') });
      const handle = await startValid(h, slow, { channel: channelOf(slow), input: { email: 'eva@example.com', cart: cart('cart-early', 60) } });
      await h.until(handle, (s) => s.currentNode === 'waitFirstHour' && s.waitingFor === 'event');
      await h.signal(handle, { type: 'purchase.completed', id: 'buy-early', data: { cartId: 'cart-early', orderId: 'o-3' } });
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'cart-early', orderId: 'o-3' } } });
      expect(pathOf(await h.state(handle))).toEqual(['start:next', 'waitFirstHour:event', 'goal:next', 'endConverted:null']);
      expect(callsFor(h, 'notify', handle.workflowId)).toEqual([]);
    });

    it('no purchase: the personalised offer is sent (big cart → free shipping, small cart → 10 %)', async () => {
      const [big, small] = await Promise.all([
        startValid(h, def, { channel: channelOf(def), input: { email: 'big@example.com', cart: cart('cart-big', 120) } }),
        startValid(h, def, { channel: channelOf(def), input: { email: 'small@example.com', cart: cart('cart-small', 40) } }),
      ]);
      for (const [handle, ruleId, text] of [
        [big, 'bigCart', 'Tu carrito te espera: usa el código ENVIOGRATIS y llévate el envío gratis.'],
        [small, 'everyone', 'Tu carrito te espera: usa el código VUELVE10 y llévate un 10 % de descuento.'],
      ] as const) {
        expect(await handle.result()).toMatchObject({ outcome: 'abandoned', vars: {} });
        const s = await h.state(handle);
        expect(pathOf(s)).toEqual([
          'start:next',
          'waitFirstHour:timeout',
          'reminder:next',
          'waitPurchase:timeout',
          'offer:matched',
          'offerMessage:next',
          'endAbandoned:null',
        ]);
        expect(outputOf(s, 'offer')).toMatchObject({ ruleId });
        const sent = callsFor(h, 'notify', handle.workflowId);
        expect(sent.map((c) => c.text)).toEqual(['Hola , te has dejado 2 producto(s) en el carrito. ¡Te lo guardamos!', text]);
        expect(sent.every((c) => c.channel === 'email')).toBe(true);
        const [matched] = await eventsOfType(h, handle.workflowId, 'personalize.matched');
        expect(matched.data.ruleId).toBe(ruleId);
        expect(await eventsOfType(h, handle.workflowId, 'goal')).toEqual([]);
      }
    });
  });

  describe('churnRouting', () => {
    const lastPurchaseAt = new Date(Date.now() - 10 * DAY - 60_000).toISOString();
    beforeAll(() => {
      for (const [id, name, risk] of [
        ['ch-09', 'Nora', 0.9],
        ['ch-07', 'Iker', 0.7],
        ['ch-05', 'Olga', 0.5],
        ['ch-01', 'Pau', 0.1],
      ] as const) {
        // The fake model scores the `risk` feature, which comes from the customer's attributes.
        h.fakes.customers.set(id, { id, name, email: `${name.toLowerCase()}@example.com`, attributes: { risk, lastPurchaseAt }, tags: [] });
      }
    });

    it.each([
      [
        'Nora',
        0.9,
        'critical',
        [
          ['slack', '#retencion', 'Riesgo crítico: Nora (nora@example.com), puntuación 90 %.'],
          ['email', 'nora@example.com', 'Nora, queremos que sigas con nosotros: te regalamos un mes de servicio.'],
        ],
      ],
      ['Iker', 0.7, 'high', [['email', 'iker@example.com', 'Hola Iker, tienes un 20 % de descuento en tu próxima renovación.']]],
      ['Olga', 0.5, 'medium', [['email', 'olga@example.com', 'Hola Olga, ¿cómo te va con el servicio? Responde a este correo si necesitas algo.']]],
      ['Pau', 0.1, 'default', []],
    ])('%s (score %d) takes the %s band', async (name, score, band, sent) => {
      const def = expectValid(churnRouting);
      const handle = await startValid(h, def, { input: { email: `${name.toLowerCase()}@example.com` } });
      expect(await handle.result()).toMatchObject({ outcome: 'completed', vars: { churnScore: score } });
      const s = await h.state(handle);
      expect(pathOf(s).slice(0, 4)).toEqual(['start:next', 'lookup:found', 'score:next', `band:${band}`]);
      expect(pathOf(s).at(-1)).toBe(band === 'default' ? 'endNoAction:null' : 'endActed:null');
      // The example's feature reads customer.lastPurchaseAt (an attribute of the CRM record).
      expect(callsFor(h, 'scoreChurn', handle.workflowId)[0].features).toMatchObject({ risk: score, daysSincePurchase: 10 });
      expect(callsFor(h, 'notify', handle.workflowId).map((c) => [c.channel, c.to, c.text])).toEqual(sent);
    });

    it('an unknown customer ends as failed', async () => {
      const handle = await startValid(h, churnRouting, { input: { email: 'nobody@example.com' } });
      expect(await handle.result()).toMatchObject({ outcome: 'failed', status: 'completed' });
      expect(pathOf(await h.state(handle))).toEqual(['start:next', 'lookup:notFound', 'endUnknown:null']);
    });
  });

  describe('abExperiment', () => {
    const variants = [
      { id: 'A', weight: 50 },
      { id: 'B', weight: 50 },
    ];
    const candidates = Array.from({ length: 40 }, (_, i) => `ab-journey-${i}`);
    const inA = candidates.find((id) => pickVariant(variants, stableUnit('welcome-copy', id)).id === 'A')!;
    const inB = candidates.find((id) => pickVariant(variants, stableUnit('welcome-copy', id)).id === 'B')!;

    it('variant A, accepts the tour: exposure, goal with the experiment, converted (on WhatsApp)', async () => {
      const def = expectValid(abExperiment);
      const handle = await startValid(h, def, { channel: channelOf(def), customerId: inA, input: { phone: '+34611000111' } });
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, 'vale');
      expect(turn.replies.map((r) => r.text)).toEqual([
        expect.stringContaining('Ya puedes empezar a usar tu cuenta.'),
        '¿Quieres que te guiemos ahora?',
        '¡Genial! Empezamos.',
      ]);
      expect(turn.replies[1].buttons).toEqual([
        { label: 'Sí, vamos', value: 'yes' },
        { label: 'Ahora no', value: 'no' },
      ]);
      expect(await handle.result()).toMatchObject({ outcome: 'converted', vars: { wantsTour: 'yes' } });
      const s = await h.state(handle);
      expect(pathOf(s)).toEqual(['start:next', 'split:A', 'copyA:next', 'ask:yes', 'goal:next', 'endConverted:null']);
      // WhatsApp: what the bot says is also delivered through notify to the customer's phone.
      expect(callsFor(h, 'notify', handle.workflowId).map((c) => [c.channel, c.to])).toEqual([
        ['whatsapp', '+34611000111'],
        ['whatsapp', '+34611000111'],
        ['whatsapp', '+34611000111'],
      ]);
      const [exposure] = await eventsOfType(h, handle.workflowId, 'experiment.exposure');
      expect(exposure.data).toEqual({ experiment: 'welcome-copy', variant: 'A' });
      const [goal] = await eventsOfType(h, handle.workflowId, 'goal');
      expect(goal.data).toEqual({ goal: 'onboarding_started', experiments: { 'welcome-copy': 'A' } });
    });

    it('variant B, declines: exposure recorded, no goal', async () => {
      const def = expectValid(abExperiment);
      const handle = await startValid(h, def, { customerId: inB });
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, 'luego');
      expect(turn.replies.map((r) => r.text)).toEqual([
        expect.stringContaining('tu cuenta está lista. Te ayudamos a configurarla en 2 minutos.'),
        '¿Quieres que te guiemos ahora?',
        'Sin problema, aquí estaremos.',
      ]);
      expect(await handle.result()).toMatchObject({ outcome: 'completed', vars: { wantsTour: 'no' } });
      expect(pathOf(await h.state(handle))).toEqual(['start:next', 'split:B', 'copyB:next', 'ask:no', 'endDeclined:null']);
      const [exposure] = await eventsOfType(h, handle.workflowId, 'experiment.exposure');
      expect(exposure.data).toEqual({ experiment: 'welcome-copy', variant: 'B' });
      expect(await eventsOfType(h, handle.workflowId, 'goal')).toEqual([]);
    });

    // Regression: a run with a customerId loads the customer from the CRM at start.
    it('greets the customer by name (the customer is loaded at start)', async () => {
      h.fakes.customers.set(inA, { id: inA, name: 'Ana', attributes: {}, tags: [] });
      const handle = await startValid(h, abExperiment, { customerId: inA });
      await h.until(handle, (s) => s.waitingFor === 'reply');
      const turn = await h.say(handle, 'no');
      expect(turn.replies[0].text).toBe('¡Bienvenido/a, Ana! Ya puedes empezar a usar tu cuenta.');
    });
  });
});
