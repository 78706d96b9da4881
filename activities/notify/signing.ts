import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: HMAC-SHA256 with the shared signing secret over `${timestamp}.${body}`,
 * sent as `X-Cauce-Timestamp: <unix seconds>` and `X-Cauce-Signature: sha256=<hex>`. Receivers
 * recompute it over the raw body and reject old timestamps (replays).
 */
export const SIGNATURE_HEADER = 'X-Cauce-Signature';
export const TIMESTAMP_HEADER = 'X-Cauce-Timestamp';
export const IDEMPOTENCY_HEADER = 'X-Cauce-Idempotency-Key';

export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export interface VerifyOptions {
  /** Maximum age (and clock skew) of the timestamp, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in unix seconds (default the clock). */
  now?: number;
}

/**
 * Checks a received webhook: the signature matches (constant-time) and the timestamp is within the
 * tolerance. For receivers and tests; `headers` in any case, as Node's `IncomingHttpHeaders`.
 */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, options: VerifyOptions = {}): boolean {
  const get = (name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : headers[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = get(TIMESTAMP_HEADER);
  const signature = get(SIGNATURE_HEADER);
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const received = Buffer.from(signature);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
