import { ApplicationFailure } from '@temporalio/common';
import OpenAI from 'openai';
import { z } from 'zod';
import type { ClassifyOutput, ReplyOutput, SentimentOutput, SummarizeOutput, TokenUsage } from '../../../contracts/activities';
import { activityCancellationSignal } from '../../errors';
import type { AiEngine } from '../engine';
import type { KnowledgeBase } from '../knowledge';
import { DEFAULT_CLASSIFY_THRESHOLD } from '../offline/classifier';
import { contextFor, DEFAULT_MIN_CONFIDENCE, lastCustomerText } from '../offline/engine';
import { summarizeConversation } from '../offline/summarize';
import { detectLanguage, languageOfLocale } from '../offline/text';
import { invalidModelOutput, llmFailure } from './failures';
import {
  classifyFormat,
  classifyMessages,
  replyFormat,
  replyMessages,
  SENTIMENT_FORMAT,
  sentimentMessages,
  StructuredFormat,
  summaryMessages,
} from './prompts';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
/** USD per million tokens: gpt-4o-mini's list prices. Set the variables for another model. */
export const DEFAULT_PRICE_INPUT_PER_MTOK = 0.15;
export const DEFAULT_PRICE_OUTPUT_PER_MTOK = 0.6;
/** Per LLM request. Two requests (one repair) fit in the AI activities' 30 s start-to-close timeout. */
export const DEFAULT_OPENAI_TIMEOUT_MS = 12_000;
/** Knowledge-base articles passed to the model for a grounded reply. */
export const DEFAULT_REPLY_ARTICLES = 4;

export interface OpenAiEngineOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (Azure, vLLM, Ollama, LiteLLM...). Default https://api.openai.com/v1. */
  baseUrl?: string;
  /** Default gpt-4o-mini. */
  model?: string;
  /** Where `reply` retrieves the articles it grounds its answers in (BM25 for the built-in ones). */
  knowledge: KnowledgeBase;
  /** Timeout of each request in ms (default 12 000). The SDK's own retries are off: Temporal retries. */
  timeoutMs?: number;
  /** USD per million prompt / completion tokens, for `usage.costUsd`. */
  pricing?: { inputPerMTok: number; outputPerMTok: number };
  /** Sampling temperature (default 0, for repeatable answers); null leaves it to the server (some models only accept their default). */
  temperature?: number | null;
  /** How many retrieved articles a reply may use (default 4). */
  maxArticles?: number;
  /**
   * `json_schema` (default): strict Structured Outputs. `json_object`: JSON mode with the schema in the
   * prompt, for compatible servers without Structured Outputs. Either way the output is validated here.
   */
  responseFormat?: 'json_schema' | 'json_object';
  /** A ready client (tests); by default one is built from the options with `maxRetries: 0`. */
  client?: OpenAI;
}

/** Values a model may return in a slightly wrong range are clamped, not rejected. */
const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

const ClassifySchema = z.object({
  intent: z.string().nullable(),
  confidence: z.number(),
  scores: z.array(z.object({ intent: z.string(), score: z.number() })).optional(),
});
const SentimentSchema = z.object({
  label: z.enum(['negative', 'neutral', 'positive']),
  score: z.number(),
  language: z.enum(['es', 'en', 'unknown']).optional(),
});
const ReplySchema = z.object({
  answer: z.string().nullable(),
  confidence: z.number(),
  sourceIds: z.array(z.string()),
});

class UsageMeter {
  promptTokens = 0;
  completionTokens = 0;
  calls = 0;
  constructor(
    public model: string,
    private readonly pricing: { inputPerMTok: number; outputPerMTok: number },
  ) {}

  add(response: OpenAI.Chat.Completions.ChatCompletion): void {
    this.calls += 1;
    if (typeof response.model === 'string' && response.model) this.model = response.model;
    this.promptTokens += Math.max(0, Math.round(Number(response.usage?.prompt_tokens) || 0));
    this.completionTokens += Math.max(0, Math.round(Number(response.usage?.completion_tokens) || 0));
  }

  usage(): TokenUsage | undefined {
    if (this.calls === 0) return undefined;
    const cost = (this.promptTokens * this.pricing.inputPerMTok + this.completionTokens * this.pricing.outputPerMTok) / 1e6;
    return { model: this.model, promptTokens: this.promptTokens, completionTokens: this.completionTokens, costUsd: Math.round(cost * 1e9) / 1e9 };
  }
}

type Refused = { refused: string };
const isRefused = (x: unknown): x is Refused => typeof x === 'object' && x !== null && 'refused' in x;

/** The first JSON object in a reply, tolerating Markdown fences some compatible servers add in JSON mode. */
function parseJson(content: string | null): unknown {
  if (content === null || !content.trim()) throw new Error('the reply was empty');
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the reply was not valid JSON');
  }
}

function describeZod(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * The LLM engine: any OpenAI-compatible chat-completions endpoint through the `openai` SDK.
 *
 * - classify / sentiment: Structured Outputs (`response_format: json_schema`, strict) with the node's
 *   intents (ids as an enum) or the three labels; the node's threshold applies to the model's confidence.
 * - reply: retrieval first (the knowledge base's BM25 search, top `maxArticles` articles, with the earlier
 *   conversation as context for short questions), then the model answers from those sources only, as
 *   `{ answer, confidence, sourceIds }`. `answer: null`, a confidence under `minConfidence` or an answer
 *   that cites no source is `answer: null` (the node's `unsure` branch). No article found: no LLM call.
 * - summarize: a plain-text hand-off note in the conversation's language.
 *
 * Every output carries `engine: 'llm'` and `usage` (tokens of every request it took, and their cost
 * at the configured prices). Malformed output (not JSON, wrong shape, an unknown intent or source id)
 * gets one repair request (the model sees its reply and the problem); a second failure is a
 * non-retryable `InvalidModelOutput`. A refusal is treated as "not understood" (fallback, neutral,
 * unsure). HTTP and network failures: see failures.ts.
 */
export function createOpenAiEngine(options: OpenAiEngineOptions): AiEngine {
  if (!options.apiKey && !options.client) throw new Error('the OpenAI engine needs an API key');
  const timeoutMs = options.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS;
  const model = options.model ?? DEFAULT_OPENAI_MODEL;
  const pricing = options.pricing ?? { inputPerMTok: DEFAULT_PRICE_INPUT_PER_MTOK, outputPerMTok: DEFAULT_PRICE_OUTPUT_PER_MTOK };
  const temperature = options.temperature === undefined ? 0 : options.temperature;
  const responseFormat = options.responseFormat ?? 'json_schema';
  const maxArticles = options.maxArticles ?? DEFAULT_REPLY_ARTICLES;
  const client =
    options.client ?? new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl || DEFAULT_OPENAI_BASE_URL, maxRetries: 0, timeout: timeoutMs });

  async function chat(messages: ChatMessage[], format: StructuredFormat | null, maxTokens: number, meter: UsageMeter) {
    const params: ChatParams = {
      model,
      messages,
      max_tokens: maxTokens,
      ...(temperature !== null ? { temperature } : {}),
      ...(format
        ? {
            response_format:
              responseFormat === 'json_schema'
                ? { type: 'json_schema' as const, json_schema: { name: format.name, schema: format.schema, strict: true } }
                : { type: 'json_object' as const },
          }
        : {}),
    };
    // Our own deadline (the SDK's is a backstop): how the SDK reports its timeout depends on which
    // realm's AbortError fetch throws, and a timeout must always come out as a retryable LlmTimeout.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    const cancelled = activityCancellationSignal();
    const onCancel = () => deadline.abort();
    if (cancelled?.aborted) onCancel();
    cancelled?.addEventListener('abort', onCancel, { once: true });
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await client.chat.completions.create(params, { timeout: timeoutMs + 1_000, maxRetries: 0, signal: deadline.signal });
    } catch (err) {
      throw timedOut ? ApplicationFailure.retryable(`the LLM did not answer within ${timeoutMs} ms`, 'LlmTimeout') : llmFailure(err, timeoutMs);
    } finally {
      clearTimeout(timer);
      cancelled?.removeEventListener('abort', onCancel);
    }
    meter.add(response);
    const message = response.choices?.[0]?.message;
    return { content: message?.content ?? null, refusal: message?.refusal ?? null };
  }

  /** One structured request, plus one repair request when the output cannot be used. */
  async function structured<T>(
    task: string,
    format: StructuredFormat,
    prompt: { system: string; user: string },
    validate: (value: unknown) => T,
    maxTokens: number,
    meter: UsageMeter,
  ): Promise<T | Refused> {
    const system =
      responseFormat === 'json_object'
        ? `${prompt.system}\nReply with one JSON object matching this JSON Schema:\n${JSON.stringify(format.schema)}`
        : prompt.system;
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: prompt.user },
    ];
    let problem = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await chat(messages, format, maxTokens, meter);
      if (reply.refusal) return { refused: reply.refusal };
      try {
        return validate(parseJson(reply.content));
      } catch (err) {
        problem = err instanceof z.ZodError ? describeZod(err) : (err as Error).message;
      }
      messages.push(
        { role: 'assistant', content: reply.content ?? '' },
        { role: 'user', content: `That reply could not be used (${problem}). Reply again with only one JSON object that matches the required schema.` },
      );
    }
    throw invalidModelOutput(task, problem);
  }

  return {
    name: 'llm',

    async classify({ text, intents, threshold }): Promise<ClassifyOutput> {
      const ids = intents.map((i) => i.id);
      const zero = Object.fromEntries(ids.map((id) => [id, 0]));
      if (!text?.trim()) return { intent: null, confidence: 0, scores: zero, engine: 'llm' };
      const meter = new UsageMeter(model, pricing);
      const result = await structured(
        'classification',
        classifyFormat(ids),
        classifyMessages(text, intents),
        (value) => {
          const parsed = ClassifySchema.parse(value);
          if (parsed.intent !== null && !ids.includes(parsed.intent)) throw new Error(`"intent" must be one of ${ids.join(', ')} or null`);
          return parsed;
        },
        200 + 25 * ids.length,
        meter,
      );
      const usage = meter.usage();
      if (isRefused(result)) return { intent: null, confidence: 0, scores: zero, engine: 'llm', ...(usage ? { usage } : {}) };
      const scores: Record<string, number> = { ...zero };
      for (const s of result.scores ?? []) if (s.intent in scores) scores[s.intent] = round4(clamp01(s.score));
      const confidence = round4(clamp01(result.confidence));
      if (result.intent !== null) scores[result.intent] = Math.max(scores[result.intent], confidence);
      const intent = result.intent !== null && confidence >= (threshold ?? DEFAULT_CLASSIFY_THRESHOLD) ? result.intent : null;
      return { intent, confidence, scores, engine: 'llm', ...(usage ? { usage } : {}) };
    },

    async sentiment({ text }): Promise<SentimentOutput> {
      if (!text?.trim()) return { label: 'neutral', score: 0, language: 'unknown', engine: 'llm' };
      const meter = new UsageMeter(model, pricing);
      const result = await structured('sentiment', SENTIMENT_FORMAT, sentimentMessages(text), (v) => SentimentSchema.parse(v), 60, meter);
      const usage = meter.usage();
      if (isRefused(result)) return { label: 'neutral', score: 0, language: detectLanguage(text), engine: 'llm', ...(usage ? { usage } : {}) };
      const score = round4(Math.min(1, Math.max(-1, Number.isFinite(result.score) ? result.score : 0)));
      return { label: result.label, score, language: result.language ?? detectLanguage(text), engine: 'llm', ...(usage ? { usage } : {}) };
    },

    async reply({ question, conversation, collection, minConfidence, locale }): Promise<ReplyOutput> {
      const turns = conversation ?? [];
      const q = question?.trim() || lastCustomerText(turns);
      if (!q) return { answer: null, confidence: 0, sources: [], engine: 'llm' };
      const asked = detectLanguage(q);
      const language = asked === 'unknown' ? languageOfLocale(locale) : asked;
      const hits = await options.knowledge.search(q, collection, { context: contextFor(q, turns), locale: language, limit: maxArticles });
      const retrieved = hits.map((h) => ({ id: h.article.id, title: h.article.title, score: h.confidence }));
      if (hits.length === 0) return { answer: null, confidence: 0, sources: [], engine: 'llm' };

      const refs = hits.map((_, i) => `S${i + 1}`);
      const meter = new UsageMeter(model, pricing);
      const result = await structured(
        'grounded reply',
        replyFormat(refs),
        replyMessages(
          q,
          hits.map((h, i) => ({ ref: refs[i], title: h.article.title, body: h.article.body })),
          turns,
          language,
        ),
        (value) => {
          const parsed = ReplySchema.parse(value);
          const unknown = parsed.sourceIds.filter((id) => !refs.includes(id));
          if (unknown.length) throw new Error(`"sourceIds" may only contain ${refs.join(', ')}`);
          return parsed;
        },
        700,
        meter,
      );
      const usage = meter.usage();
      const extra = usage ? { usage } : {};
      if (isRefused(result)) return { answer: null, confidence: 0, sources: retrieved, engine: 'llm', ...extra };
      const confidence = round4(clamp01(result.confidence));
      const cited = [...new Set(result.sourceIds)].map((ref) => retrieved[refs.indexOf(ref)]);
      const answer = result.answer?.trim() ?? '';
      const answered = answer !== '' && cited.length > 0 && confidence >= (minConfidence ?? DEFAULT_MIN_CONFIDENCE);
      return answered
        ? { answer, confidence, sources: cited, engine: 'llm', ...extra }
        : { answer: null, confidence, sources: retrieved, engine: 'llm', ...extra };
    },

    async summarize({ conversation, locale, ctx }): Promise<SummarizeOutput> {
      const turns = (conversation ?? []).filter((t) => t.text?.trim());
      // Nothing to summarise: the offline note says so without a request.
      if (!turns.some((t) => t.from === 'customer')) {
        return { summary: summarizeConversation(conversation ?? [], { customerId: ctx?.customerId, locale }), engine: 'offline' };
      }
      const detected = detectLanguage(
        turns
          .filter((t) => t.from === 'customer')
          .map((t) => t.text)
          .join('\n'),
      );
      const language = languageOfLocale(locale) ?? (detected === 'unknown' ? 'es' : detected);
      const prompt = summaryMessages(turns, language, ctx?.customerId);
      const meter = new UsageMeter(model, pricing);
      const messages: ChatMessage[] = [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ];
      for (let attempt = 0; attempt < 2; attempt++) {
        const reply = await chat(messages, null, 400, meter);
        const text = (reply.content ?? '')
          .trim()
          .replace(/^```\w*\s*/, '')
          .replace(/\s*```$/, '')
          .trim();
        if (text && !reply.refusal) return { summary: text.slice(0, 4_000), engine: 'llm', usage: meter.usage()! };
        messages.push(
          { role: 'assistant', content: reply.content ?? '' },
          { role: 'user', content: 'That reply was empty. Write the hand-off note now, as plain text lines starting with "- ".' },
        );
      }
      throw invalidModelOutput('summary', 'the reply was empty');
    },
  };
}

/** Thrown by `openAiOptionsFromEnv` for a variable it cannot use; the message names the variable, never its value. */
export class OpenAiConfigError extends Error {
  constructor(variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'OpenAiConfigError';
  }
}

function nonEmpty(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function positiveNumber(env: Record<string, string | undefined>, name: string, fallback: number, allowZero = true): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new OpenAiConfigError(name, `must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  return value;
}

/**
 * The engine's options from the environment, or undefined when `OPENAI_API_KEY` is not set (the
 * offline engine answers then). See activities/README.md for every variable.
 */
export function openAiOptionsFromEnv(env: Record<string, string | undefined>): Omit<OpenAiEngineOptions, 'knowledge'> | undefined {
  const apiKey = nonEmpty(env, 'OPENAI_API_KEY');
  if (!apiKey) return undefined;
  const baseUrl = nonEmpty(env, 'OPENAI_BASE_URL');
  if (baseUrl !== undefined && !/^https?:\/\//i.test(baseUrl)) throw new OpenAiConfigError('OPENAI_BASE_URL', 'must be an http(s) URL');
  const format = nonEmpty(env, 'OPENAI_RESPONSE_FORMAT') ?? 'json_schema';
  if (format !== 'json_schema' && format !== 'json_object') throw new OpenAiConfigError('OPENAI_RESPONSE_FORMAT', 'must be json_schema or json_object');
  return {
    apiKey,
    baseUrl: baseUrl ?? DEFAULT_OPENAI_BASE_URL,
    model: nonEmpty(env, 'OPENAI_MODEL') ?? DEFAULT_OPENAI_MODEL,
    timeoutMs: positiveNumber(env, 'OPENAI_TIMEOUT_MS', DEFAULT_OPENAI_TIMEOUT_MS, false),
    pricing: {
      inputPerMTok: positiveNumber(env, 'OPENAI_PRICE_INPUT_PER_MTOK', DEFAULT_PRICE_INPUT_PER_MTOK),
      outputPerMTok: positiveNumber(env, 'OPENAI_PRICE_OUTPUT_PER_MTOK', DEFAULT_PRICE_OUTPUT_PER_MTOK),
    },
    responseFormat: format,
  };
}
