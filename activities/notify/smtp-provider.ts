import { ApplicationFailure } from '@temporalio/common';
import nodemailer from 'nodemailer';
import type { NodemailerError, Transporter } from 'nodemailer';
import { normalizeEmail } from '../crm/validation';
import { errorMessage } from '../errors';
import type { NotificationProvider, OutboundNotification } from './provider';

export interface SmtpProviderOptions {
  /** `SMTP_URL`: smtp://user:pass@host:587 (STARTTLS when offered), smtps://user:pass@host:465 (TLS). Query options as nodemailer reads them. */
  url: string;
  /** `SMTP_FROM`: "Cauce <alertas@example.com>" or a bare address. */
  from: string;
  /** Connection, greeting and idle-socket timeouts, in ms (default 15 000). */
  timeoutMs?: number;
  /** A ready transporter (tests); by default one is made from `url`. */
  transporter?: Transporter;
}

const MAX_RECIPIENTS = 50;

/**
 * Email over SMTP with nodemailer. `to` is one address or several separated by `,` or `;`; each must
 * be a plain valid address (checked before connecting). The subject is the notification's, else
 * "Cauce: <purpose>". The message carries a Message-ID made from the outbox row id (the same on every
 * retry, so receiving systems can drop a duplicate) and `X-Cauce-Idempotency-Key`.
 *
 * Failures: an SMTP 5xx reply (mailbox unknown, relay denied, message refused: nodemailer's
 * `permanent`), a rejected login (`EAUTH`) or a bad configuration is non-retryable (`NotifyRejected`);
 * 4xx replies, timeouts, refused or dropped connections and TLS failures are retried. Messages
 * carry the SMTP reply, never the credentials in `SMTP_URL`. A message accepted for some recipients
 * and refused for others counts as sent (retrying would send the accepted ones a second copy).
 */
export function createSmtpProvider(options: SmtpProviderOptions): NotificationProvider & { close(): void } {
  if (!options.transporter) {
    let protocol: string;
    try {
      protocol = new URL(options.url).protocol;
    } catch {
      throw new Error('SMTP_URL must be a URL such as smtp://user:pass@host:587');
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  }
  if (!options.from?.trim()) throw new Error('the SMTP provider needs a sender (SMTP_FROM)');
  const timeout = options.timeoutMs ?? 15_000;
  const transporter =
    options.transporter ??
    nodemailer.createTransport({ url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, dnsTimeout: timeout });

  return {
    name: 'smtp',
    close: () => transporter.close(),
    async send(n: OutboundNotification) {
      const parts = n.to
        .split(/[,;]/)
        .map((p) => p.trim())
        .filter(Boolean);
      const recipients = parts.map(normalizeEmail);
      if (parts.length === 0 || recipients.some((r) => r === null)) {
        throw ApplicationFailure.nonRetryable('the email recipient must be one or more valid addresses separated by commas', 'InvalidInput');
      }
      if (recipients.length > MAX_RECIPIENTS) throw ApplicationFailure.nonRetryable(`an email may have at most ${MAX_RECIPIENTS} recipients`, 'InvalidInput');
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: recipients as string[],
          subject: n.subject ?? `Cauce: ${n.purpose ?? 'notification'}`,
          text: n.text,
          messageId: `<outbox-${n.id}@cauce.local>`,
          headers: {
            'X-Cauce-Idempotency-Key': n.idempotencyKey,
            ...(n.purpose ? { 'X-Cauce-Purpose': n.purpose } : {}),
          },
        });
        return { providerMessageId: typeof info?.messageId === 'string' ? info.messageId : undefined };
      } catch (err) {
        throw smtpFailure(err as NodemailerError);
      }
    },
  };
}

const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EMAXRECIPIENTS', 'EREQUIRETLS']);

function smtpFailure(err: NodemailerError): ApplicationFailure {
  const message = `SMTP: ${errorMessage(err).replace(/\s+/g, ' ').slice(0, 500)}`;
  const permanent =
    err.permanent === true ||
    (typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode !== 503) ||
    (err.code !== undefined && PERMANENT_CODES.has(err.code) && !(typeof err.responseCode === 'number' && err.responseCode < 500));
  return permanent
    ? ApplicationFailure.nonRetryable(message, 'NotifyRejected', { code: err.code ?? null, responseCode: err.responseCode ?? null })
    : ApplicationFailure.retryable(message, 'NotifyDeliveryFailed', { code: err.code ?? null, responseCode: err.responseCode ?? null });
}
