import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { errorMessage } from '../../errors';

/** Longest delay a 429's Retry-After may ask for; longer waits are capped (the activity has retries left). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How an LLM call's failure reaches Temporal (the SDK's own retries are off: `maxRetries: 0`):
 *
 * | cause | failure type | retryable |
 * |---|---|---|
 * | 429 rate limit | `LlmRateLimited`, `nextRetryDelay` from `retry-after-ms` / `retry-after` (<= 60 s) | yes |
 * | 429 `insufficient_quota` | `LlmQuotaExceeded` (billing: no retry fixes it) | no |
 * | 5xx, 408, 409 | `LlmServerError` | yes |
 * | client timeout | `LlmTimeout` | yes |
 * | connection refused/reset, DNS | `LlmConnectionError` | yes |
 * | 401, 403 | `LlmAuthFailed` | no |
 * | 400, 404, 422 and other 4xx | `LlmRequestRejected` | no |
 *
 * Messages carry the status and the server's error text, never the API key or the prompt.
 */
export function llmFailure(err: unknown, timeoutMs: number): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof APIConnectionTimeoutError) return ApplicationFailure.retryable(`the LLM did not answer within ${timeoutMs} ms`, 'LlmTimeout');
  if (err instanceof APIUserAbortError) return ApplicationFailure.retryable('the LLM call was cancelled', 'LlmCancelled');
  if (err instanceof APIConnectionError) {
    const cause = (err.cause as { code?: string; message?: string } | undefined) ?? undefined;
    const detail = cause?.code ?? cause?.message;
    return ApplicationFailure.retryable(`could not reach the LLM${detail ? ` (${detail})` : ''}`, 'LlmConnectionError');
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const message = `the LLM answered HTTP ${status}: ${serverMessage(err)}`;
    if (status === 429) {
      if (err.code === 'insufficient_quota') return ApplicationFailure.nonRetryable(message, 'LlmQuotaExceeded', { status });
      const delay = retryAfterMs(err.headers);
      return ApplicationFailure.create({
        message,
        type: 'LlmRateLimited',
        nonRetryable: false,
        details: [{ status }],
        ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
      });
    }
    if (status >= 500 || status === 408 || status === 409)
      return ApplicationFailure.create({ message, type: 'LlmServerError', nonRetryable: false, details: [{ status }] });
    if (status === 401 || status === 403) return ApplicationFailure.nonRetryable(message, 'LlmAuthFailed', { status });
    return ApplicationFailure.nonRetryable(message, 'LlmRequestRejected', { status });
  }
  return ApplicationFailure.retryable(`the LLM call failed: ${errorMessage(err)}`, 'LlmError');
}

function serverMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : err.message.replace(/^\d{3}\s*/, '');
  return text.slice(0, 500) || 'no details';
}

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return clamp(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return clamp(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? clamp(date - now) : undefined;
}

const clamp = (ms: number) => Math.min(Math.max(Math.ceil(ms), 0), MAX_RETRY_AFTER_MS);

/** The model's output could not be used, even after one repair request. */
export function invalidModelOutput(task: string, problem: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`the LLM's ${task} output was unusable after one repair attempt: ${problem}`, 'InvalidModelOutput');
}
