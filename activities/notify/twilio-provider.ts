import { ApplicationFailure } from '@temporalio/common';
import { normalizePhone } from '../crm/validation';
import type { SecretResolver } from '../http/secrets';
import { postToProvider } from './http-delivery';
import type { NotificationProvider, OutboundNotification } from './provider';

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';
export const DEFAULT_TWILIO_TOKEN_SECRET = 'twilio_auth_token';

export interface TwilioProviderOptions {
  channel: 'sms' | 'whatsapp';
  /** `TWILIO_ACCOUNT_SID` (AC...). */
  accountSid: string;
  /** The sender: an E.164 number (`+34...`), or a Messaging Service SID (MG...) sent as `MessagingServiceSid`. */
  from: string;
  /** Reads the auth token by name at send time (`TWILIO_AUTH_TOKEN_SECRET`, default `twilio_auth_token`). */
  secrets: SecretResolver;
  authTokenSecret?: string;
  /** Any Twilio-compatible API (default https://api.twilio.com). */
  baseUrl?: string;
  allowPrivateNetworks?: boolean;
  /** Default 10 s. */
  timeoutMs?: number;
}

/** Twilio's JSON error: `{ code, message, more_info, status }`. */
function twilioReason(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { code?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') return `${parsed.code !== undefined ? `Twilio error ${String(parsed.code)}: ` : ''}${parsed.message.slice(0, 300)}`;
  } catch {
    // not JSON
  }
  return body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * SMS or WhatsApp through Twilio's Messages API (or a compatible one): `POST
 * {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded `To`, `From` (or
 * `MessagingServiceSid`) and `Body`, with HTTP basic auth `sid:token`. WhatsApp numbers are sent as
 * `whatsapp:+...`. The recipient must be an international number (`+` and 6 to 15 digits; spaces,
 * dashes and a leading `00` are accepted); anything else fails non-retryably before any request.
 * The subject, when given, is the first line of the text.
 *
 * 201 is delivered (the message SID is the receipt); 400 (invalid number, unverified sender: Twilio's
 * code and message in the reason), 401, 403 and 404 are permanent; 429 honours Retry-After; 5xx, timeouts
 * and connection failures are retried. The token is read by secret name on every send and never appears
 * in messages. Twilio has no idempotency key for message creation: delivery is at-least-once.
 */
export function createTwilioProvider(options: TwilioProviderOptions): NotificationProvider {
  if (!/^AC[0-9a-zA-Z]{8,64}$/.test(options.accountSid)) throw new Error('TWILIO_ACCOUNT_SID must look like AC followed by letters and digits');
  if (!options.from?.trim())
    throw new Error(`the Twilio ${options.channel} provider needs a sender (${options.channel === 'sms' ? 'TWILIO_FROM' : 'TWILIO_WHATSAPP_FROM'})`);
  const base = (options.baseUrl || DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const host = new URL(url).host;
  const tokenSecret = options.authTokenSecret || DEFAULT_TWILIO_TOKEN_SECRET;
  const whatsapp = options.channel === 'whatsapp';
  const sender = options.from.trim().replace(/^whatsapp:/i, '');
  const messagingService = /^MG[0-9a-zA-Z]+$/.test(sender);

  return {
    name: whatsapp ? 'twilio-whatsapp' : 'twilio-sms',
    async send(n: OutboundNotification) {
      const number = normalizePhone(n.to.trim().replace(/^whatsapp:/i, ''));
      if (!number || !number.startsWith('+')) {
        throw ApplicationFailure.nonRetryable(
          `the ${whatsapp ? 'WhatsApp' : 'SMS'} recipient must be an international phone number such as +34600123456`,
          'InvalidInput',
        );
      }
      const token = await options.secrets.get(tokenSecret);
      if (!token) throw ApplicationFailure.nonRetryable(`the Twilio auth token secret "${tokenSecret}" is not configured`, 'MissingSecret');
      const form = new URLSearchParams();
      form.set('To', whatsapp ? `whatsapp:${number}` : number);
      if (messagingService) form.set('MessagingServiceSid', sender);
      else form.set('From', whatsapp ? `whatsapp:${sender}` : sender);
      form.set('Body', n.subject ? `${n.subject}\n${n.text}` : n.text);
      const response = await postToProvider({
        where: `Twilio (${host})`,
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${Buffer.from(`${options.accountSid}:${token}`).toString('base64')}`,
        },
        body: form.toString(),
        timeoutMs: options.timeoutMs ?? 10_000,
        allowPrivateNetworks: options.allowPrivateNetworks,
        reason: (r) => twilioReason(r.body),
      });
      try {
        const sid = (JSON.parse(response.body.toString('utf8')) as { sid?: unknown }).sid;
        return typeof sid === 'string' ? { providerMessageId: sid } : {};
      } catch {
        return {};
      }
    },
  };
}
