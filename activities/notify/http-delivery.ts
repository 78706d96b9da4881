import { ApplicationFailure } from '@temporalio/common';
import { activityCancellationSignal, errorMessage } from '../errors';
import { HttpTimeoutError, safeRequest, SafeResponse } from '../http/safe-request';
import { BlockedUrlError } from '../http/url-safety';

/**
 * One POST to a provider's HTTP API (Slack, Twilio) through the guarded client (URL policy, deadline,
 * response cap, no redirects), and the shared reading of its status:
 *
 * - 2xx: delivered;
 * - 429: retryable, the next retry after `Retry-After` (at most 60 s);
 * - 408, 5xx, timeouts and connection failures: retryable (`NotifyDeliveryFailed`);
 * - other 4xx and 3xx: non-retryable (`NotifyRejected`), with the provider's reason.
 *
 * `where` names the provider and host only: webhook URLs carry their credential in the path, so a
 * message never shows a path, a query or a header.
 */
export interface HttpDeliveryOptions {
  where: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateNetworks?: boolean;
  /** Turns a rejection's body into a short reason (default: the body's first 200 characters). */
  reason?: (response: SafeResponse) => string;
}

const MAX_RETRY_AFTER_S = 60;

export async function postToProvider(options: HttpDeliveryOptions): Promise<SafeResponse> {
  let response: SafeResponse;
  try {
    response = await safeRequest({
      method: 'POST',
      url: options.url,
      headers: { 'user-agent': 'Cauce/0.1 (+notifications)', ...options.headers },
      body: options.body,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: 64 * 1024,
      maxRedirects: 0,
      allowPrivateNetworks: options.allowPrivateNetworks,
      signal: activityCancellationSignal(),
    });
  } catch (err) {
    if (err instanceof BlockedUrlError) throw ApplicationFailure.nonRetryable(`${options.where} refused: ${err.message}`, 'HttpUrlRefused');
    if (err instanceof HttpTimeoutError)
      throw ApplicationFailure.retryable(`${options.where} did not answer within ${options.timeoutMs} ms`, 'NotifyDeliveryFailed');
    const code = (err as { code?: string }).code;
    throw ApplicationFailure.retryable(`${options.where} could not be reached${code ? ` (${code})` : `: ${errorMessage(err)}`}`, 'NotifyDeliveryFailed');
  }
  const { status } = response;
  if (status >= 200 && status < 300) return response;
  const reason = (options.reason ?? defaultReason)(response);
  const message = `${options.where} answered HTTP ${status}${reason ? `: ${reason}` : ''}`;
  if (status === 429) {
    const delay = retryAfterSeconds(response.headers['retry-after']);
    throw ApplicationFailure.create({
      message,
      type: 'NotifyDeliveryFailed',
      nonRetryable: false,
      details: [{ status }],
      ...(delay !== undefined ? { nextRetryDelay: `${delay}s` as const } : {}),
    });
  }
  if (status === 408 || status >= 500) throw ApplicationFailure.create({ message, type: 'NotifyDeliveryFailed', nonRetryable: false, details: [{ status }] });
  throw ApplicationFailure.nonRetryable(status >= 300 && status < 400 ? `${message} (redirects are not followed)` : message, 'NotifyRejected', { status });
}

function defaultReason(response: SafeResponse): string {
  return response.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function retryAfterSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_S);
}
