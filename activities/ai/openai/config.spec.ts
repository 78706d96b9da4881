import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { createStaticKnowledgeBase } from '../knowledge';
import {
  createOpenAiEngine,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_OPENAI_TIMEOUT_MS,
  DEFAULT_PRICE_INPUT_PER_MTOK,
  DEFAULT_PRICE_OUTPUT_PER_MTOK,
  openAiOptionsFromEnv,
} from './engine';
import { llmFailure, retryAfterMs } from './failures';

describe('OpenAI engine configuration', () => {
  it('is off without OPENAI_API_KEY and has documented defaults', () => {
    expect(openAiOptionsFromEnv({})).toBeUndefined();
    expect(openAiOptionsFromEnv({ OPENAI_API_KEY: '  ' })).toBeUndefined();
    expect(openAiOptionsFromEnv({ OPENAI_API_KEY: 'sk-1', OPENAI_BASE_URL: '', OPENAI_MODEL: '' })).toEqual({
      apiKey: 'sk-1',
      baseUrl: DEFAULT_OPENAI_BASE_URL,
      model: DEFAULT_OPENAI_MODEL,
      timeoutMs: DEFAULT_OPENAI_TIMEOUT_MS,
      pricing: { inputPerMTok: DEFAULT_PRICE_INPUT_PER_MTOK, outputPerMTok: DEFAULT_PRICE_OUTPUT_PER_MTOK },
      responseFormat: 'json_schema',
    });
    expect([DEFAULT_OPENAI_BASE_URL, DEFAULT_OPENAI_MODEL, DEFAULT_PRICE_INPUT_PER_MTOK, DEFAULT_PRICE_OUTPUT_PER_MTOK]).toEqual([
      'https://api.openai.com/v1',
      'gpt-4o-mini',
      0.15,
      0.6,
    ]);
  });

  it('rejects unusable values, naming the variable and not the value', () => {
    const bad = (env: Record<string, string>) => () => openAiOptionsFromEnv({ OPENAI_API_KEY: 'sk-secret-value', ...env });
    expect(bad({ OPENAI_PRICE_INPUT_PER_MTOK: 'cheap' })).toThrow(/OPENAI_PRICE_INPUT_PER_MTOK/);
    expect(bad({ OPENAI_PRICE_OUTPUT_PER_MTOK: '-1' })).toThrow(/OPENAI_PRICE_OUTPUT_PER_MTOK/);
    expect(bad({ OPENAI_TIMEOUT_MS: '0' })).toThrow(/OPENAI_TIMEOUT_MS/);
    expect(bad({ OPENAI_BASE_URL: 'localhost:8000' })).toThrow(/OPENAI_BASE_URL/);
    expect(bad({ OPENAI_RESPONSE_FORMAT: 'xml' })).toThrow(/OPENAI_RESPONSE_FORMAT/);
    expect(bad({ OPENAI_TIMEOUT_MS: 'x' })).not.toThrow(/sk-secret-value/);
    expect(() => createOpenAiEngine({ apiKey: '', knowledge: createStaticKnowledgeBase([]) })).toThrow(/API key/);
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates, capped at 60 s', () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(retryAfterMs(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '7' }))).toBe(7_000);
    expect(retryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(h({ 'retry-after': '3600' }))).toBe(60_000);
    const now = Date.parse('2025-11-20T10:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 20 Nov 2025 10:00:05 GMT' }), now)).toBe(5_000);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('classifies SDK errors', () => {
    const status = (s: number, headers: Record<string, string> = {}, code?: string) =>
      llmFailure(APIError.generate(s, { error: { message: `boom ${s}`, ...(code ? { code } : {}) } }, undefined, new Headers(headers)), 1000);
    expect(status(429, { 'retry-after': '2' })).toMatchObject({ type: 'LlmRateLimited', nonRetryable: false, nextRetryDelay: 2000 });
    expect(status(429, {}, 'insufficient_quota')).toMatchObject({ type: 'LlmQuotaExceeded', nonRetryable: true });
    for (const s of [500, 502, 503, 504, 408, 409]) expect(status(s)).toMatchObject({ type: 'LlmServerError', nonRetryable: false });
    for (const s of [401, 403]) expect(status(s)).toMatchObject({ type: 'LlmAuthFailed', nonRetryable: true });
    for (const s of [400, 404, 422]) expect(status(s)).toMatchObject({ type: 'LlmRequestRejected', nonRetryable: true });
    expect(status(400).message).toBe('the LLM answered HTTP 400: boom 400');
    expect(llmFailure(new APIConnectionTimeoutError(), 1234)).toMatchObject({
      type: 'LlmTimeout',
      nonRetryable: false,
      message: 'the LLM did not answer within 1234 ms',
    });
    const passthrough = ApplicationFailure.nonRetryable('x', 'InvalidModelOutput');
    expect(llmFailure(passthrough, 1)).toBe(passthrough);
    expect(llmFailure(new Error('weird'), 1)).toMatchObject({ type: 'LlmError', nonRetryable: false });
  });
});
