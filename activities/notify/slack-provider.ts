import { ApplicationFailure } from '@temporalio/common';
import { SecretResolver, secretUsable } from '../http/secrets';
import { postToProvider } from './http-delivery';
import type { NotificationProvider, OutboundNotification } from './provider';

export interface SlackProviderOptions {
  /** The default incoming-webhook URL (`SLACK_WEBHOOK_URL`), used when `to` is not a webhook of its own. */
  webhookUrl?: string;
  /** Resolves `to: "secret:<name>"` (a webhook URL kept as a stored secret). */
  secrets?: SecretResolver;
  /** Allow loopback and private-network webhook URLs (tests, on-premise). Default false. */
  allowPrivateNetworks?: boolean;
  /** Default 10 s. */
  timeoutMs?: number;
}

const SECRET_PREFIX = 'secret:';

/** Slack's mrkdwn needs only these three escaped. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack through incoming webhooks: POSTs `{ text }` (the subject in bold on the first line) to
 *
 * - the URL in `to`, when `to` is an http(s) URL (a webhook for that channel);
 * - the stored secret named in `to` as `secret:<name>` (keeps the webhook's credential out of the
 *   flow, the outbox and the workflow history);
 * - otherwise the configured `webhookUrl` (`to` is then just a label such as `#soporte`: a Slack
 *   incoming webhook always posts to the channel it was created for).
 *
 * Every URL goes through the HTTP URL policy. Slack answers 200 `ok`; 400/403/404/410 (`invalid_payload`,
 * `action_prohibited`, `channel_not_found`, `channel_is_archived`...) are permanent; 429 honours
 * Retry-After; 5xx is retried. Messages name the host only: a webhook URL is a credential.
 * Slack webhooks have no idempotency key: delivery is at-least-once.
 */
export function createSlackProvider(options: SlackProviderOptions = {}): NotificationProvider {
  async function target(to: string, flowId: string | null): Promise<URL> {
    let raw: string | undefined;
    const trimmed = to.trim();
    if (/^https?:\/\//i.test(trimmed)) raw = trimmed;
    else if (trimmed.startsWith(SECRET_PREFIX)) {
      // The flow names the secret, so its admin must have allowed the webhook's host (and this flow):
      // otherwise any secret whose value is a URL could be posted to. Missing, refused or not a URL
      // all read alike, so a flow author cannot probe which secrets exist.
      const name = trimmed.slice(SECRET_PREFIX.length).trim();
      const secret = options.secrets ? await options.secrets.getScoped(name) : undefined;
      const url = secret ? parseHttpUrl(secret.value) : null;
      if (!secret || !url || !secretUsable(secret.scope, url, flowId ?? undefined)) {
        throw ApplicationFailure.nonRetryable(
          `the Slack webhook secret "${name}" is not available: an admin must store it with its webhook's host (e.g. hooks.slack.com) in allowedHosts`,
          'SecretNotAvailable',
        );
      }
      return url;
    } else raw = options.webhookUrl;
    if (!raw) {
      throw ApplicationFailure.nonRetryable(
        'no Slack webhook: set SLACK_WEBHOOK_URL, or give a webhook URL or "secret:<name>" as the recipient',
        'InvalidInput',
      );
    }
    try {
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
      return url;
    } catch {
      throw ApplicationFailure.nonRetryable('the Slack webhook is not a valid http(s) URL', 'InvalidInput');
    }
  }

  return {
    name: 'slack',
    async send(n: OutboundNotification) {
      const url = await target(n.to, n.flowId);
      const text = n.subject ? `*${escapeSlack(n.subject)}*\n${escapeSlack(n.text)}` : escapeSlack(n.text);
      await postToProvider({
        where: `Slack webhook at ${url.host}`,
        url: url.toString(),
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-cauce-idempotency-key': n.idempotencyKey },
        body: JSON.stringify({ text }),
        timeoutMs: options.timeoutMs ?? 10_000,
        allowPrivateNetworks: options.allowPrivateNetworks,
      });
      return {};
    },
  };
}

function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}
