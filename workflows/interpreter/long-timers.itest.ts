import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTimeSkippingServer } from '../../libs/runtime/time-skipping-server';
import { InterpreterHarness } from '../../test/interpreter/harness';
import { abandonedCart, supportTriage, validateFlow } from '../language';

/**
 * Long timers (an hour's delay, a day's wait, SLAs of minutes) at their real durations, on Temporal's
 * time-skipping test server: the JVM build from Maven Central (see libs/runtime/time-skipping-server.ts),
 * because the SDK's native build is a download from the internet.
 */
const server = resolveTimeSkippingServer();
const describeIfServer = 'path' in server ? describe : describe.skip;
if (!('path' in server)) console.warn(`long-timer tests skipped: ${server.unavailable}`);

describeIfServer('long timers at real durations (time-skipping test server)', () => {
  const h = new InterpreterHarness(() =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: (server as { path: string }).path } } }),
  );
  beforeAll(() => h.setup(), 120_000);
  afterAll(() => h.teardown());

  const cart = { id: 'cart-77', items: [{ sku: 'A' }, { sku: 'B' }], total: 120 };

  it('abandoned cart without a purchase: reminder after 1 h, offer after the 24 h wait', async () => {
    expect(validateFlow(abandonedCart).errors).toEqual([]);
    const handle = await h.start(abandonedCart, { customerId: 'c-long-1', input: { cart, email: 'ana@example.com' }, channel: 'email' });
    const result = await handle.result(); // the test server skips time while the run waits
    expect(result.outcome).toBe('abandoned');
    const state = await h.state(handle);
    const started = Date.parse(state.path[0].enteredAt);
    const at = (id: string) => Date.parse(state.path.find((p) => p.nodeId === id)!.enteredAt) - started;
    expect(at('reminder')).toBeGreaterThanOrEqual(60 * 60_000);
    expect(at('offer')).toBeGreaterThanOrEqual(25 * 60 * 60_000);
    expect(state.nodes.offer.output).toMatchObject({ offer: 'ENVIOGRATIS' });
    // On the email channel, both messages went out through notify.
    const emails = h.fakes.callsOf('notify').map((c) => c.input as { channel: string; to: string; text: string });
    expect(emails.filter((e) => e.to === 'ana@example.com').map((e) => e.channel)).toEqual(['email', 'email']);
  });

  it('abandoned cart with a purchase two hours in: converted, the goal recorded', async () => {
    const handle = await h.start(abandonedCart, { customerId: 'c-long-2', input: { cart, email: 'luis@example.com' } });
    await h.env.sleep('2h');
    expect((await h.state(handle)).currentNode).toBe('waitPurchase');
    await h.signal(handle, { type: 'purchase.completed', id: 'p-1', data: { cartId: 'other-cart' } });
    await h.signal(handle, { type: 'purchase.completed', id: 'p-2', data: { cartId: 'cart-77', amount: 120 } });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'converted', vars: { purchase: { cartId: 'cart-77', amount: 120 } } });
  });

  it('support triage: nobody accepts in 5 min (tier 1) nor 15 min (tier 2): unresolved, the customer told each step', async () => {
    const handle = await h.start(supportTriage, { customerId: 'c-long-3' });
    const turn = await h.say(handle, '¡Esto es horrible, estoy harto de esperar!');
    expect(turn.replies.map((r) => r.text)).toContain('Te paso con una persona del equipo; enseguida te atiende.');
    const result = await handle.result();
    expect(result.outcome).toBe('abandoned');
    const state = await h.state(handle);
    const texts = state.transcript.map((t) => t.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Seguimos buscando a alguien disponible, gracias por tu paciencia.',
        'Ahora mismo no hay nadie disponible. Te escribiremos por email.',
      ]),
    );
    const escalation = state.path.find((p) => p.nodeId === 'escalate')!;
    expect(Date.parse(escalation.leftAt!) - Date.parse(escalation.enteredAt)).toBeGreaterThanOrEqual(20 * 60_000);
    expect(h.fakes.callsOf('notify').filter((c) => (c.input as { purpose: string }).purpose === 'escalation')).toHaveLength(3);
  });
});
