import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { Pool } from 'pg';
import { testInfra } from '../../../test/infra';
import { createActivities } from '../../index';
import { createAiActivities } from '../ai.activities';
import { createStaticKnowledgeBase } from '../knowledge';
import { createOfflineAiEngine } from '../offline/engine';
import { createOpenAiEngine, openAiOptionsFromEnv } from './engine';

/**
 * The real `openai` SDK over HTTP against a local OpenAI-compatible server: `POST /v1/chat/completions`
 * answers with whatever the test queued (a completion with usage, an error status, or nothing at all).
 */
type Reply = { status?: number; headers?: Record<string, string>; json?: unknown; raw?: string } | 'hang';
/** The parts of a JSON Schema the assertions read (the engine's structured-output schemas). */
interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean;
}
interface Received {
  headers: http.IncomingHttpHeaders;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict: boolean; schema: SchemaNode } };
    max_tokens?: number;
    temperature?: number;
  };
}

async function startFakeOpenAi() {
  const received: Received[] = [];
  const queue: Reply[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      }
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const reply = queue.shift() ?? { status: 500, json: { error: { message: 'the test queued no reply', type: 'server_error' } } };
      if (reply === 'hang') return; // never answers
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.raw ?? JSON.stringify(reply.json));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    queue: (...replies: Reply[]) => queue.push(...replies),
    reset: () => {
      received.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A chat.completion as OpenAI returns it. */
function completion(content: string | null, usage = { prompt: 120, completion: 15 }, extra: Record<string, unknown> = {}): Reply {
  return {
    json: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_764_000_000,
      model: 'gpt-test-2025',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, ...extra }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
    },
  };
}
const json = (value: unknown, usage?: { prompt: number; completion: number }) => completion(JSON.stringify(value), usage);
const apiError = (status: number, message: string, headers: Record<string, string> = {}, code: string | null = null): Reply => ({
  status,
  headers,
  json: { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'invalid_request_error', param: null, code } },
});

/** The failure a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

const ctx = { runId: 'r1', flowId: 'f1', nodeId: 'n1', idempotencyKey: 'r1:n1:1', customerId: 'cust-7' };
const intents = [
  { id: 'billing', examples: ['tengo un problema con mi factura', 'I was charged twice'], description: 'Invoices and charges' },
  { id: 'shipping', examples: ['¿dónde está mi pedido?', 'where is my order'] },
  { id: 'cancel', examples: ['quiero darme de baja', 'cancel my subscription'] },
];
const articles = [
  {
    id: 'kb-returns',
    title: 'Devoluciones y reembolsos',
    body: 'Aceptamos devoluciones durante 30 días.\n\nEl reembolso llega a tu tarjeta en 5 a 7 días hábiles.',
    locale: 'es',
  },
  { id: 'kb-shipping', title: 'Plazos de envío', body: 'Los envíos tardan de 24 a 48 horas. A Canarias, de 3 a 5 días.', locale: 'es' },
  { id: 'kb-payments', title: 'Métodos de pago', body: 'Aceptamos tarjeta, PayPal y Bizum.', locale: 'es' },
];

describe('OpenAI engine (real SDK, local OpenAI-compatible server)', () => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAi>>;
  const knowledge = createStaticKnowledgeBase(articles);
  const engine = (extra: Partial<Parameters<typeof createOpenAiEngine>[0]> = {}) =>
    createOpenAiEngine({ apiKey: 'sk-test-key', baseUrl: fake.baseUrl, model: 'gpt-test', knowledge, timeoutMs: 5_000, ...extra });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  describe('success paths', () => {
    it('classifies with strict Structured Outputs and reports tokens and cost', async () => {
      fake.queue(
        json({
          intent: 'billing',
          confidence: 0.91,
          scores: [
            { intent: 'billing', score: 0.91 },
            { intent: 'shipping', score: 0.05 },
          ],
        }),
      );
      const ai = createAiActivities({ knowledge, engine: engine() });
      const out = await ai.aiClassify({ ctx, text: 'Me habéis cobrado dos veces la factura', intents });
      expect(out).toEqual({
        intent: 'billing',
        confidence: 0.91,
        scores: { billing: 0.91, shipping: 0.05, cancel: 0 },
        engine: 'llm',
        // (120 x 0.15 + 15 x 0.60) / 1e6 at the default prices
        usage: { model: 'gpt-test-2025', promptTokens: 120, completionTokens: 15, costUsd: 0.000027 },
      });

      expect(fake.received).toHaveLength(1);
      const { headers, body } = fake.received[0];
      expect(headers.authorization).toBe('Bearer sk-test-key');
      expect(body.model).toBe('gpt-test');
      expect(body.temperature).toBe(0);
      expect(body.max_tokens).toBeGreaterThan(0);
      expect(body.response_format?.type).toBe('json_schema');
      const format = body.response_format!.json_schema!;
      expect(format).toMatchObject({ name: 'intent_classification', strict: true });
      expect(format.schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['intent', 'confidence', 'scores'] });
      expect(format.schema.properties?.intent.enum).toEqual(['billing', 'shipping', 'cancel', null]);
      expect(body.messages[0].role).toBe('system');
      expect(body.messages[0].content).toContain('billing');
      expect(body.messages[0].content).toContain('I was charged twice');
      expect(body.messages[1]).toEqual({ role: 'user', content: '<customer>Me habéis cobrado dos veces la factura</customer>' });
    });

    it('applies the node threshold to the model confidence, and a null intent takes fallback', async () => {
      fake.queue(json({ intent: 'shipping', confidence: 0.3, scores: [] }), json({ intent: null, confidence: 0.8, scores: [] }));
      const e = engine();
      expect(await e.classify({ text: 'hmm', intents, threshold: 0.5 })).toMatchObject({ intent: null, confidence: 0.3, scores: { shipping: 0.3 } });
      expect(await e.classify({ text: '¿Qué tiempo hace?', intents })).toMatchObject({ intent: null, confidence: 0.8 });
    });

    it('rates sentiment', async () => {
      fake.queue(json({ label: 'negative', score: -0.8, language: 'es' }, { prompt: 90, completion: 10 }));
      const out = await engine().sentiment({ text: 'No está nada bien, llevo una semana esperando' });
      expect(out).toEqual({
        label: 'negative',
        score: -0.8,
        language: 'es',
        engine: 'llm',
        usage: { model: 'gpt-test-2025', promptTokens: 90, completionTokens: 10, costUsd: 0.0000195 },
      });
      expect(fake.received[0].body.response_format?.json_schema?.name).toBe('sentiment');
    });

    it('answers from the retrieved articles and cites them', async () => {
      fake.queue(json({ answer: 'El reembolso llega a tu tarjeta en 5 a 7 días hábiles.', confidence: 0.92, sourceIds: ['S1'] }));
      const ai = createAiActivities({ knowledge, engine: engine() });
      const out = await ai.aiReply({
        ctx,
        question: '¿Cuándo me llega el reembolso?',
        conversation: [{ from: 'customer', text: 'Devolví unas zapatillas', at: '2025-11-20T10:00:00Z' }],
        locale: 'es',
      });
      expect(out).toMatchObject({
        answer: 'El reembolso llega a tu tarjeta en 5 a 7 días hábiles.',
        confidence: 0.92,
        sources: [{ id: 'kb-returns', title: 'Devoluciones y reembolsos', score: expect.any(Number) }],
        engine: 'llm',
        usage: { promptTokens: 120, completionTokens: 15 },
      });
      const { body } = fake.received[0];
      expect(body.response_format?.json_schema).toMatchObject({ name: 'grounded_answer', strict: true });
      expect(body.response_format!.json_schema!.schema.properties?.sourceIds.items?.enum?.[0]).toBe('S1');
      expect(body.messages[0].content).toContain('<source id="S1" title="Devoluciones y reembolsos">');
      expect(body.messages[0].content).toContain('5 a 7 días hábiles');
      expect(body.messages[0].content).toContain('ONLY the sources');
      expect(body.messages[1].content).toContain('Devolví unas zapatillas');
      expect(body.messages[1].content).toContain('Question: <customer>¿Cuándo me llega el reembolso?</customer>');
    });

    it('is unsure when the model cannot answer from the sources, cites nothing, or is under minConfidence', async () => {
      fake.queue(
        json({ answer: null, confidence: 0.1, sourceIds: [] }),
        json({ answer: 'Sí, claro.', confidence: 0.9, sourceIds: [] }),
        json({ answer: 'Aceptamos PayPal.', confidence: 0.4, sourceIds: ['S1'] }),
      );
      const e = engine();
      const a = await e.reply({ question: '¿Aceptáis devoluciones de tarjetas regalo?', conversation: [] });
      expect(a).toMatchObject({ answer: null, confidence: 0.1, engine: 'llm', usage: { promptTokens: 120 } });
      expect(a.sources.length).toBeGreaterThan(0);
      expect((await e.reply({ question: '¿Aceptáis devoluciones?', conversation: [] })).answer).toBeNull();
      expect((await e.reply({ question: '¿Aceptáis PayPal?', conversation: [], minConfidence: 0.6 })).answer).toBeNull();
    });

    it('makes no request when the knowledge base has nothing on the question', async () => {
      const out = await engine({ knowledge: createStaticKnowledgeBase([]) }).reply({ question: '¿Tenéis tienda en Lima?', conversation: [] });
      expect(out).toEqual({ answer: null, confidence: 0, sources: [], engine: 'llm' });
      expect(fake.received).toHaveLength(0);
    });

    it('writes a plain-text hand-off summary in the conversation language', async () => {
      fake.queue(completion('- Cliente cust-7 pide el reembolso de un pedido.\n- Está molesto.', { prompt: 300, completion: 40 }));
      const out = await engine().summarize({
        ctx,
        conversation: [
          { from: 'customer', text: 'Hola, quiero el reembolso de mi pedido 123', at: '2025-11-20T10:00:00Z' },
          { from: 'bot', text: '¿Me das tu email?', at: '2025-11-20T10:00:05Z' },
          { from: 'customer', text: 'Esto es una vergüenza, llevo dos semanas', at: '2025-11-20T10:01:00Z' },
        ],
      });
      expect(out).toEqual({
        summary: '- Cliente cust-7 pide el reembolso de un pedido.\n- Está molesto.',
        engine: 'llm',
        usage: { model: 'gpt-test-2025', promptTokens: 300, completionTokens: 40, costUsd: 0.000069 },
      });
      const { body } = fake.received[0];
      expect(body.response_format).toBeUndefined();
      expect(body.messages[0].content).toContain('Spanish');
      expect(body.messages[1].content).toContain('Customer id: cust-7');
      expect(body.messages[1].content).toContain('pedido 123');
    });

    it('uses the configured prices and JSON mode for servers without Structured Outputs', async () => {
      const options = openAiOptionsFromEnv({
        OPENAI_API_KEY: 'sk-env',
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_MODEL: 'llama3.1',
        OPENAI_PRICE_INPUT_PER_MTOK: '1',
        OPENAI_PRICE_OUTPUT_PER_MTOK: '2',
        OPENAI_RESPONSE_FORMAT: 'json_object',
      })!;
      fake.queue(completion('```json\n{"label":"positive","score":0.7,"language":"en"}\n```', { prompt: 1_000_000, completion: 500_000 }));
      const out = await createOpenAiEngine({ ...options, knowledge }).sentiment({ text: 'Great service, thanks!' });
      expect(out).toMatchObject({ label: 'positive', usage: { promptTokens: 1_000_000, completionTokens: 500_000, costUsd: 2 } });
      const { headers, body } = fake.received[0];
      expect(headers.authorization).toBe('Bearer sk-env');
      expect(body.model).toBe('llama3.1');
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(body.messages[0].content).toContain('JSON Schema');
    });
  });

  describe('failures', () => {
    it('429: retryable, honouring retry-after, with no SDK retries', async () => {
      fake.queue(apiError(429, 'Rate limit reached for gpt-test', { 'retry-after': '7' }));
      const err = await failure(engine().classify({ text: 'factura', intents }));
      expect(err).toMatchObject({ type: 'LlmRateLimited', nonRetryable: false, nextRetryDelay: 7_000 });
      expect(err.message).toContain('429');
      expect(err.message).not.toContain('sk-test-key');
      expect(fake.received).toHaveLength(1);

      fake.queue(apiError(429, 'slow down', { 'retry-after-ms': '1500' }));
      expect(await failure(engine().sentiment({ text: 'ok' }))).toMatchObject({ nextRetryDelay: 1_500 });
      fake.queue(apiError(429, 'You exceeded your current quota', {}, 'insufficient_quota'));
      expect(await failure(engine().sentiment({ text: 'ok' }))).toMatchObject({ type: 'LlmQuotaExceeded', nonRetryable: true });
    });

    it('500: retryable', async () => {
      fake.queue(apiError(500, 'The server had an error'));
      expect(await failure(engine().classify({ text: 'factura', intents }))).toMatchObject({ type: 'LlmServerError', nonRetryable: false });
      expect(fake.received).toHaveLength(1);
      fake.queue(apiError(503, 'overloaded'));
      expect(await failure(engine().sentiment({ text: 'ok' }))).toMatchObject({ type: 'LlmServerError', nonRetryable: false });
    });

    it('400, 401 and 403: not retryable', async () => {
      fake.queue(
        apiError(400, "Invalid schema for response_format 'intent_classification'"),
        apiError(401, 'Incorrect API key provided'),
        apiError(403, 'Project does not have access'),
      );
      const bad = await failure(engine().classify({ text: 'factura', intents }));
      expect(bad).toMatchObject({ type: 'LlmRequestRejected', nonRetryable: true });
      expect(bad.message).toContain('Invalid schema');
      expect(await failure(engine().sentiment({ text: 'ok' }))).toMatchObject({ type: 'LlmAuthFailed', nonRetryable: true });
      expect(await failure(engine().sentiment({ text: 'ok' }))).toMatchObject({ type: 'LlmAuthFailed', nonRetryable: true });
    });

    it('a server that never answers: retryable timeout after the client timeout', async () => {
      fake.queue('hang');
      const started = Date.now();
      const err = await failure(engine({ timeoutMs: 300 }).classify({ text: 'factura', intents }));
      expect(err).toMatchObject({ type: 'LlmTimeout', nonRetryable: false });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(fake.received).toHaveLength(1);
    });

    it('a connection refused: retryable', async () => {
      const closed = createOpenAiEngine({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1/v1', knowledge, timeoutMs: 2_000 });
      expect(await failure(closed.sentiment({ text: 'hola' }))).toMatchObject({ type: 'LlmConnectionError', nonRetryable: false });
    });

    it('malformed JSON: one repair request that shows the model its reply, then the repaired answer (usage of both)', async () => {
      fake.queue(
        completion('{"intent": "billing", "confidence": 0.9', { prompt: 100, completion: 10 }),
        json({ intent: 'billing', confidence: 0.9, scores: [] }, { prompt: 150, completion: 12 }),
      );
      const out = await engine().classify({ text: 'factura duplicada', intents });
      expect(out).toMatchObject({ intent: 'billing', confidence: 0.9, usage: { promptTokens: 250, completionTokens: 22 } });
      expect(fake.received).toHaveLength(2);
      const repair = fake.received[1].body.messages;
      expect(repair).toHaveLength(4);
      expect(repair[2]).toEqual({ role: 'assistant', content: '{"intent": "billing", "confidence": 0.9' });
      expect(repair[3].content).toContain('not valid JSON');
    });

    it('output that stays unusable after the repair: non-retryable InvalidModelOutput', async () => {
      fake.queue(completion('Sure! The intent is billing.'), json({ intent: 'refunds', confidence: 0.9, scores: [] }));
      const err = await failure(engine().classify({ text: 'factura', intents }));
      expect(err).toMatchObject({ type: 'InvalidModelOutput', nonRetryable: true });
      expect(err.message).toContain('"intent" must be one of billing, shipping, cancel');
      expect(fake.received).toHaveLength(2);

      fake.reset();
      fake.queue(json({ answer: 'x', confidence: 0.9, sourceIds: ['S9'] }), json({ answer: 'x', confidence: 'high', sourceIds: ['S1'] }));
      expect(await failure(engine().reply({ question: '¿Cuándo llega el reembolso?', conversation: [] }))).toMatchObject({
        type: 'InvalidModelOutput',
        nonRetryable: true,
      });
    });

    it('a refusal is "not understood", not an error', async () => {
      fake.queue(completion(null, undefined, { refusal: "I can't help with that." }));
      expect(await engine().classify({ text: 'factura', intents })).toMatchObject({ intent: null, confidence: 0, engine: 'llm' });
    });
  });

  describe('createActivities', () => {
    let pool: Pool;
    beforeAll(() => {
      pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    });
    afterAll(async () => {
      await pool?.end();
    });

    it('uses the LLM engine when OPENAI_API_KEY is set, the offline one otherwise, and deps.aiEngine over both', async () => {
      const env = { OPENAI_API_KEY: 'sk-from-env', OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'gpt-env' };
      fake.queue(json({ label: 'positive', score: 0.9, language: 'es' }));
      const llm = createActivities({ pool, env, knowledge });
      expect(await llm.aiSentiment({ ctx, text: 'Genial, gracias' })).toMatchObject({ engine: 'llm', usage: { promptTokens: 120 } });
      expect(fake.received[0].body.model).toBe('gpt-env');
      expect(fake.received[0].headers.authorization).toBe('Bearer sk-from-env');

      expect((await createActivities({ pool, env: {}, knowledge }).aiSentiment({ ctx, text: 'Genial, gracias' })).engine).toBe('offline');
      const override = createActivities({ pool, env, knowledge, aiEngine: createOfflineAiEngine({ knowledge }) });
      expect((await override.aiSentiment({ ctx, text: 'Genial' })).engine).toBe('offline');
      expect(fake.received).toHaveLength(1);
    });

    it('falls back to the offline classifier when the LLM fails or times out, and says why', async () => {
      const env = { OPENAI_API_KEY: 'sk-from-env', OPENAI_BASE_URL: fake.baseUrl, OPENAI_TIMEOUT_MS: '300' };
      const activities = createActivities({ pool, env, knowledge });

      fake.queue(apiError(500, 'The server had an error'));
      const afterError = await activities.aiClassify({ ctx, text: '¿Dónde está mi pedido? No me ha llegado', intents });
      expect(afterError).toMatchObject({ intent: 'shipping', engine: 'offline', llmFailure: 'LlmServerError' });
      expect(afterError.usage).toBeUndefined();

      fake.queue('hang');
      const started = Date.now();
      const afterTimeout = await activities.aiClassify({ ctx, text: 'quiero darme de baja de la suscripción', intents });
      expect(afterTimeout).toMatchObject({ intent: 'cancel', engine: 'offline', llmFailure: 'LlmTimeout' });
      expect(Date.now() - started).toBeLessThan(3_000);

      fake.queue(apiError(401, 'Incorrect API key provided'));
      expect(await activities.aiSentiment({ ctx, text: 'Es un servicio pésimo, estoy harto' })).toMatchObject({
        label: 'negative',
        engine: 'offline',
        llmFailure: 'LlmAuthFailed',
      });
      expect(fake.received).toHaveLength(3);

      // A working LLM still answers, with no failure recorded.
      fake.queue(json({ intent: 'billing', confidence: 0.92, scores: [] }));
      const fromLlm = await activities.aiClassify({ ctx, text: 'me cobraron dos veces', intents });
      expect(fromLlm).toMatchObject({ intent: 'billing', engine: 'llm' });
      expect(fromLlm.llmFailure).toBeUndefined();
    });
  });
});
