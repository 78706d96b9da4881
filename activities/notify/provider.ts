import type { NotifyInput } from '../../contracts/activities';

export type NotifyChannel = NotifyInput['channel'];
export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['email', 'sms', 'slack', 'webhook', 'whatsapp'];

/** One notification, as stored in the outbox, handed to a provider for delivery. */
export interface OutboundNotification {
  /** The outbox row id: stable across retries. */
  id: string;
  /** The node visit's key: stable across retries; providers pass it on so receivers can de-duplicate. */
  idempotencyKey: string;
  channel: NotifyChannel;
  to: string;
  subject: string | null;
  text: string;
  purpose: string | null;
  runId: string | null;
  flowId: string | null;
  nodeId: string | null;
  /** 1 on the first delivery attempt. */
  attempt: number;
}

export interface DeliveryReceipt {
  /** The provider's id for the message, when it gives one. */
  providerMessageId?: string;
}

/**
 * Delivers notifications of one channel (an SMTP mailer, Slack, Twilio SMS/WhatsApp, a webhook).
 *
 * Delivery is at-least-once: a crash between a successful send and marking the outbox row may
 * send again on retry, so providers should pass `idempotencyKey` on where the far side supports
 * it. A provider throws on failure: a plain error or a retryable failure when a retry may help, an
 * `ApplicationFailure.nonRetryable` when it cannot (an address the provider rejects).
 */
export interface NotificationProvider {
  readonly name: string;
  send(notification: OutboundNotification): Promise<DeliveryReceipt | void>;
}
