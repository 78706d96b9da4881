import type { SecretResolver } from '../http/secrets';
import type { NotificationProvider, NotifyChannel } from './provider';
import { createSlackProvider } from './slack-provider';
import { createSmtpProvider } from './smtp-provider';
import { createTwilioProvider } from './twilio-provider';
import { createWebhookProvider } from './webhook-provider';

type Env = Record<string, string | undefined>;
const value = (env: Env, name: string) => env[name]?.trim() || undefined;
const truthy = (v: string | undefined) => /^(1|true|yes|on)$/i.test(v ?? '');

/** `SMTP_FROM`, else the SMTP user when it is an address, else cauce@localhost. */
function smtpFrom(env: Env, url: string): string {
  const from = value(env, 'SMTP_FROM');
  if (from) return from;
  try {
    const user = decodeURIComponent(new URL(url).username);
    if (user.includes('@')) return user;
  } catch {
    // reported by createSmtpProvider
  }
  return 'Cauce <cauce@localhost>';
}

/**
 * The notification providers the environment configures (see activities/README.md):
 * - `webhook`: `CAUCE_WEBHOOK_SIGNING_SECRET`;
 * - `email`: `SMTP_URL` (+ `SMTP_FROM`);
 * - `slack`: `SLACK_WEBHOOK_URL`, or `SLACK_WEBHOOK_RECIPIENTS=true` to allow only per-notification webhooks
 *   (`to` = a webhook URL or `secret:<name>`);
 * - `sms` / `whatsapp`: `TWILIO_ACCOUNT_SID` with `TWILIO_FROM` / `TWILIO_WHATSAPP_FROM`; the auth token is
 *   the secret named by `TWILIO_AUTH_TOKEN_SECRET` (default `twilio_auth_token`); `TWILIO_BASE_URL`.
 * Channels without one keep their notifications `pending` in the outbox.
 */
export function notificationProvidersFromEnv(
  env: Env,
  deps: { secrets: SecretResolver; allowPrivateNetworks: boolean },
): Partial<Record<NotifyChannel, NotificationProvider>> {
  const providers: Partial<Record<NotifyChannel, NotificationProvider>> = {};
  const { secrets, allowPrivateNetworks } = deps;

  const signingSecret = env.CAUCE_WEBHOOK_SIGNING_SECRET;
  if (signingSecret) providers.webhook = createWebhookProvider({ signingSecret, allowPrivateNetworks });

  const smtpUrl = value(env, 'SMTP_URL');
  if (smtpUrl) providers.email = createSmtpProvider({ url: smtpUrl, from: smtpFrom(env, smtpUrl) });

  const slackUrl = value(env, 'SLACK_WEBHOOK_URL');
  if (slackUrl || truthy(value(env, 'SLACK_WEBHOOK_RECIPIENTS'))) {
    providers.slack = createSlackProvider({ webhookUrl: slackUrl, secrets, allowPrivateNetworks });
  }

  const accountSid = value(env, 'TWILIO_ACCOUNT_SID');
  if (accountSid) {
    const common = {
      accountSid,
      secrets,
      authTokenSecret: value(env, 'TWILIO_AUTH_TOKEN_SECRET'),
      baseUrl: value(env, 'TWILIO_BASE_URL'),
      allowPrivateNetworks,
    };
    const smsFrom = value(env, 'TWILIO_FROM');
    const whatsappFrom = value(env, 'TWILIO_WHATSAPP_FROM');
    if (smsFrom) providers.sms = createTwilioProvider({ ...common, channel: 'sms', from: smsFrom });
    if (whatsappFrom) providers.whatsapp = createTwilioProvider({ ...common, channel: 'whatsapp', from: whatsappFrom });
  }
  return providers;
}
