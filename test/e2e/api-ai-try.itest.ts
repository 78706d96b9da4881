// «Probar frases» over HTTP against the real API (no worker: the route classifies in the API
// process): POST /api/ai/classify/try answers per phrase and warns about the intents, for editors
// only, and refuses a malformed body naming the field. With OPENAI_* set it asks the LLM (a local
// OpenAI-compatible server here, through the real SDK) and falls back per phrase when it fails.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiHarness } from './api-harness';

const intents = [
  {
    id: 'shipping',
    description: 'Dónde está el pedido o el envío',
    examples: ['¿dónde está mi pedido?', 'mi paquete no ha llegado todavía', 'where is my order?'],
  },
  {
    id: 'password',
    description: 'No puede entrar en su cuenta o olvidó la contraseña',
    examples: ['olvidé mi contraseña', 'no puedo iniciar sesión en la cuenta', 'I forgot my password'],
  },
  { id: 'hours', description: 'Horario de las tiendas', examples: ['¿a qué hora abre la tienda?', 'horario de apertura del sábado'] },
];

describe('API: POST /api/ai/classify/try (real API and PostgreSQL)', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: false }), 90_000);
  afterAll(() => h.teardown());

  const tryPhrases = (body: unknown, key = 'editor') => h.post('/api/ai/classify/try', body, key);

  it('classifies each phrase with the offline classifier: the intent, its confidence and the runner-up; off-topic falls back', async () => {
    const res = await tryPhrases({ intents, phrases: ['hola, mi paquete todavía no ha llegado', 'asdf qwerty zxcv'] });
    expect(res.status).toBe(200);
    expect(res.body.engine).toBe('offline');
    expect(typeof res.body.threshold).toBe('number');
    const [good, offTopic] = res.body.results;
    expect(good).toMatchObject({ text: 'hola, mi paquete todavía no ha llegado', intent: 'shipping', engine: 'offline' });
    expect(good.confidence).toBeGreaterThanOrEqual(res.body.threshold);
    expect(good.runnerUp === null || (good.runnerUp.intent !== 'shipping' && good.runnerUp.score <= good.confidence)).toBe(true);
    expect(offTopic).toMatchObject({ text: 'asdf qwerty zxcv', intent: null, engine: 'offline' });
    expect(offTopic.confidence).toBeLessThan(res.body.threshold);
  });

  it('warns about an intent with two examples and about an example in two intents', async () => {
    const withDuplicate = [...intents.slice(0, 2), { ...intents[2], examples: [...intents[2].examples, 'Olvidé mi contraseña.'] }];
    const res = await tryPhrases({ intents: withDuplicate, threshold: 0.5, phrases: ['¿abren el domingo?'] });
    expect(res.status).toBe(200);
    expect(res.body.threshold).toBe(0.5);
    expect(res.body.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'duplicate-example', intent: 'password', other: 'hours', example: 'olvidé mi contraseña' })]),
    );
    // No phrases: only the warnings (what the editor asks for while the lead edits the intents).
    const few = await tryPhrases({ intents, phrases: [] });
    expect(few.status).toBe(200);
    expect(few.body.results).toEqual([]);
    expect(few.body.warnings).toContainEqual({
      code: 'few-examples',
      intent: 'hours',
      message: { es: expect.stringContaining('2 ejemplos'), en: expect.stringContaining('2 examples') },
    });
  });

  it('is for editors: an operator or a system key gets 403 naming the role; an admin may', async () => {
    for (const role of ['operator', 'system']) {
      const res = await tryPhrases({ intents, phrases: ['hola'] }, role);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('editor');
    }
    expect((await tryPhrases({ intents, phrases: ['hola'] }, 'admin')).status).toBe(200);
    expect((await h.post('/api/ai/classify/try', { intents, phrases: ['hola'] }, null)).status).toBe(401);
  });

  it('refuses a malformed body with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ intents, phrases: 'hola' }, /phrases must be an array of strings/],
      [{ intents, phrases: ['hola', ' '] }, /phrases must not contain empty phrases/],
      [{ intents, phrases: Array.from({ length: 51 }, (_, i) => `frase ${i}`) }, /phrases must contain at most 50 phrases/],
      [{ intents, phrases: ['x'.repeat(501)] }, /each phrase must be at most 500 characters/],
      [{ intents: [], phrases: ['hola'] }, /intents must contain at least one intent/],
      [{ intents: [{ ...intents[0], examples: [] }], phrases: ['hola'] }, /intents\.0\.examples must contain at least one example/],
      [{ intents: [intents[0], { ...intents[1], id: ' password' }], phrases: ['hola'] }, /intents\.1\.id must not start or end with a space/],
      [{ intents: [intents[0], { ...intents[1], id: 'shipping' }], phrases: ['hola'] }, /intents\.1\.id "shipping" is repeated/],
      [{ intents, phrases: ['hola'], threshold: 2 }, /threshold must be at most 1/],
      [{ intents, phrases: ['hola'], extra: true }, /property extra should not exist/],
    ];
    for (const [body, message] of cases) {
      const res = await tryPhrases(body);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(message) });
    }
  });
});

/** `POST /v1/chat/completions`: `shipping` with 0.91 while `failing` is false, else HTTP 500. Keeps the system prompts it got. */
function fakeLlm() {
  const state = { failing: false, prompts: [] as string[] };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      state.prompts.push(body.messages?.[0]?.content ?? '');
      res.setHeader('content-type', 'application/json');
      if (state.failing) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { message: 'model overloaded' } }));
        return;
      }
      const content = JSON.stringify({ intent: 'shipping', confidence: 0.91, scores: [{ intent: 'password', score: 0.2 }] });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } }],
          usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        }),
      );
    });
  });
  return { server, state };
}

describe('API: POST /api/ai/classify/try with an LLM configured (local OpenAI-compatible server)', () => {
  const h = new ApiHarness();
  const llm = fakeLlm();
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  beforeAll(async () => {
    await new Promise<void>((resolve) => llm.server.listen(0, '127.0.0.1', resolve));
    process.env.OPENAI_API_KEY = 'sk-test-try';
    process.env.OPENAI_BASE_URL = `http://127.0.0.1:${(llm.server.address() as AddressInfo).port}/v1`;
    await h.setup({ worker: false });
  }, 90_000);
  afterAll(async () => {
    await h.teardown();
    llm.server.close();
    for (const [name, value] of [
      ['OPENAI_API_KEY', saved.key],
      ['OPENAI_BASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('answers with the LLM, given the intents’ descriptions and examples', async () => {
    llm.state.failing = false;
    const res = await h.post('/api/ai/classify/try', { intents, phrases: ['¿me podés decir dónde anda mi compra?'] }, 'editor');
    expect(res.status).toBe(200);
    expect(res.body.engine).toBe('llm');
    expect(res.body.results).toEqual([
      { text: '¿me podés decir dónde anda mi compra?', intent: 'shipping', confidence: 0.91, runnerUp: { intent: 'password', score: 0.2 }, engine: 'llm' },
    ]);
    expect(llm.state.prompts.at(-1)).toContain('description: Dónde está el pedido o el envío');
    expect(llm.state.prompts.at(-1)).toContain('where is my order?');
  });

  it('falls back to the offline classifier per phrase when the LLM fails, and says why', async () => {
    llm.state.failing = true;
    const before = llm.state.prompts.length;
    const phrases = Array.from({ length: 12 }, (_, i) => `mi paquete todavía no ha llegado (${i + 1})`);
    const res = await h.post('/api/ai/classify/try', { intents, phrases }, 'editor');
    expect(res.status).toBe(200);
    expect(res.body.engine).toBe('llm');
    for (const r of res.body.results) {
      expect(r).toMatchObject({ intent: 'shipping', engine: 'offline', llmError: expect.stringContaining('HTTP 500: model overloaded') });
    }
    // Once the LLM has failed, the other phrases do not wait for it: at most the requests already in flight.
    expect(llm.state.prompts.length - before).toBeLessThanOrEqual(4);
  });
});
