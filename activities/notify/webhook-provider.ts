import { ApplicationFailure } from '@temporalio/common';
import { activityCancellationSignal } from '../errors';
import { safeRequest } from '../http/safe-request';
import { BlockedUrlError } from '../http/url-safety';
import type { NotificationProvider, OutboundNotification } from './provider';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signing';

export interface WebhookProviderOptions {
  /** The shared secret receivers verify signatures with. */
  signingSecret: string;
  /** Allow loopback and private-network receivers (tests, on-premise). Default false. */
  allowPrivateNetworks?: boolean;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Clock in unix seconds, for tests. */
  now?: () => number;
}

/** The JSON a webhook receiver gets. */
export interface WebhookPayload {
  id: string;
  idempotencyKey: string;
  channel: 'webhook';
  subject: string | null;
  text: string;
  purpose: string | null;
  runId: string | null;
  flowId: string | null;
  nodeId: string | null;
  attempt: number;
  sentAt: string;
}

/**
 * Delivers `webhook` notifications: POSTs the notification as JSON to the URL in `to`, signed
 * (see signing.ts) and carrying `X-Cauce-Idempotency-Key` so receivers can drop repeats. The URL
 * goes through the same SSRF policy as the http activity; redirects are not followed.
 * 2xx is delivered; 4xx other than 408/429 fails non-retryably; anything else is retryable.
 */
export function createWebhookProvider(options: WebhookProviderOptions): NotificationProvider {
  if (!options.signingSecret) throw new Error('the webhook provider needs a signing secret');
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    name: 'webhook',
    async send(n: OutboundNotification) {
      let url: URL;
      try {
        url = new URL(n.to.trim());
      } catch {
        throw ApplicationFailure.nonRetryable('the webhook recipient is not a valid URL', 'InvalidInput');
      }
      const payload: WebhookPayload = {
        id: n.id,
        idempotencyKey: n.idempotencyKey,
        channel: 'webhook',
        subject: n.subject,
        text: n.text,
        purpose: n.purpose,
        runId: n.runId,
        flowId: n.flowId,
        nodeId: n.nodeId,
        attempt: n.attempt,
        sentAt: new Date().toISOString(),
      };
      const body = JSON.stringify(payload);
      const timestamp = String(now());
      const where = `${url.origin}${url.pathname}`;
      let response;
      try {
        response = await safeRequest({
          method: 'POST',
          url: url.toString(),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Cauce/0.1 (+webhook notification)',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(options.signingSecret, timestamp, body),
            [IDEMPOTENCY_HEADER]: n.idempotencyKey,
          },
          body,
          timeoutMs: options.timeoutMs ?? 10_000,
          maxResponseBytes: 64 * 1024,
          maxRedirects: 0,
          allowPrivateNetworks: options.allowPrivateNetworks,
          signal: activityCancellationSignal(),
        });
      } catch (err) {
        if (err instanceof BlockedUrlError) throw ApplicationFailure.nonRetryable(`webhook ${where} refused: ${err.message}`, 'HttpUrlRefused');
        throw ApplicationFailure.retryable(`webhook ${where} failed: ${(err as Error).message}`, 'NotifyDeliveryFailed');
      }
      const { status } = response;
      if (status >= 200 && status < 300) return {};
      const message = `webhook ${where} answered HTTP ${status}`;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw ApplicationFailure.nonRetryable(message, 'NotifyRejected');
      if (status >= 300 && status < 400) throw ApplicationFailure.nonRetryable(`${message} (redirects are not followed)`, 'NotifyRejected');
      throw ApplicationFailure.retryable(message, 'NotifyDeliveryFailed');
    },
  };
}
