import { flow, InterpreterHarness } from '../../test/interpreter/harness';

describe('interpreter smoke', () => {
  const h = new InterpreterHarness();
  beforeAll(() => h.setup(), 60_000);
  afterAll(() => h.teardown());

  it('greets, asks, and ends with the reply in a variable', async () => {
    const def = flow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['hi', 'message', { text: 'Hola {{ input.name }}' }],
        ['q', 'ask', { text: '¿Tu email?', variable: 'email', validation: { kind: 'email' } }],
        ['bye', 'message', { text: 'Gracias, te escribiremos a {{ vars.email }}' }],
        ['end', 'end', { outcome: 'resolved' }],
        ['bad', 'end', { outcome: 'abandoned' }],
      ],
      [
        ['start', 'next', 'hi'],
        ['hi', 'next', 'q'],
        ['q', 'reply', 'bye'],
        ['q', 'invalid', 'bad'],
        ['bye', 'next', 'end'],
      ],
    );
    const handle = await h.start(def, { input: { name: 'Ana' } });
    await h.until(handle, (s) => s.waitingFor === 'reply');
    const t0 = Date.now();
    const turn1 = await h.say(handle, 'no-es-un-email');
    const t1 = Date.now();
    expect(turn1.replies.map((r) => r.text)).toEqual(['Hola Ana', '¿Tu email?', 'No he entendido tu respuesta. ¿Puedes intentarlo de nuevo?']);
    const turn2 = await h.say(handle, 'ana@example.com');
    console.log(`turn latency ${t1 - t0} ms, second ${Date.now() - t1} ms`);
    expect(turn2.replies.map((r) => r.text)).toEqual(['Gracias, te escribiremos a ana@example.com']);
    expect(turn2.status).toBe('completed');
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'resolved', vars: { email: 'ana@example.com' } });
    const events = await h.events(handle.workflowId);
    expect(events.map((e) => e.type)).toContain('run.finished');
    console.log(events.map((e) => `${e.seq}:${e.type}:${e.node_id ?? ''}`).join(' '));
  });
});
