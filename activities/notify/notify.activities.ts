import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { NotifyInput, NotifyOutput } from '../../contracts/activities';
import { classifyDbError, invalidInput } from '../errors';
import { OutboxRepository, OutboxRow } from '../../libs/outbox/outbox.repository';
import { deliver, noProviderReason } from './outbox-delivery';
import { NOTIFY_CHANNELS, NotificationProvider, NotifyChannel } from './provider';

export interface NotifyDeps {
  pool: Pool;
  /** Delivery per channel; a channel without one leaves its notifications pending in the outbox. */
  providers?: Partial<Record<NotifyChannel, NotificationProvider>>;
}

const MAX_RECIPIENT = 2_000;
const MAX_SUBJECT = 1_000;
const MAX_BODY = 100_000;

/**
 * The `notify` activity (also how the interpreter delivers messages on non-chat channels).
 *
 * 1. The notification is written to `outbox` (libs/outbox, the table's one writer), once per node visit (`idempotency_key` =
 *    `ctx.idempotencyKey`; a retry finds the same row).
 * 2. No provider for the channel: the row stays `pending` with reason
 *    "no provider configured for <channel>", and the activity returns status `pending`. That is not
 *    an error (the node takes `next`); the outbox is where an operator sees it, and where the
 *    outbox dispatch (upkeep/outbox-dispatch) picks it up once the channel has a provider.
 * 3. With a provider: `attempts` + 1, then send. Success marks the row `sent` (a later retry returns
 *    `sent` without sending again). Failure marks it `failed` with the reason and throws: retryable
 *    unless the provider said no retry can help; after the last retry the node takes `error`.
 */
export function createNotifyActivities({ pool, providers = {} }: NotifyDeps) {
  return {
    async notify(input: NotifyInput): Promise<NotifyOutput> {
      const n = validate(input);
      const outbox = new OutboxRepository(pool);
      const provider = providers[n.channel];
      const initialReason = provider ? null : noProviderReason(n.channel);
      let row: OutboxRow;
      try {
        row = await outbox.enqueue({
          runId: input.ctx.runId ?? null,
          flowId: input.ctx.flowId ?? null,
          nodeId: input.ctx.nodeId ?? null,
          idempotencyKey: input.ctx.idempotencyKey,
          channel: n.channel,
          recipient: n.to,
          subject: n.subject,
          body: n.text,
          purpose: n.purpose,
          reason: initialReason,
        });
      } catch (err) {
        throw classifyDbError(err, 'notify: could not write the outbox');
      }
      if (row.status === 'sent') return { outboxId: row.id, status: 'sent' };

      if (!provider) {
        if (row.status !== 'pending' || row.reason !== initialReason) {
          await outbox.markPending(row.id, initialReason);
        }
        return { outboxId: row.id, status: 'pending', reason: initialReason! };
      }

      const attempts = await outbox.countAttempt(row.id);
      const failure = await deliver(outbox, provider, {
        ...row,
        idempotency_key: input.ctx.idempotencyKey,
        channel: n.channel,
        attempts: attempts ?? row.attempts + 1,
      });
      if (failure) {
        if (failure.nonRetryable) {
          throw ApplicationFailure.nonRetryable(`notify via ${provider.name} failed: ${failure.message}`, failure.type ?? 'NotifyRejected');
        }
        // A provider's own retry delay (a 429's Retry-After) is kept.
        throw ApplicationFailure.create({
          message: `notify via ${provider.name} failed: ${failure.message}`,
          type: 'NotifyDeliveryFailed',
          nonRetryable: false,
          ...(failure.nextRetryDelay !== undefined ? { nextRetryDelay: failure.nextRetryDelay } : {}),
        });
      }
      return { outboxId: row.id, status: 'sent' };
    },
  };
}

interface ValidNotification {
  channel: NotifyChannel;
  to: string;
  subject: string | null;
  text: string;
  purpose: string | null;
}

function validate(input: NotifyInput): ValidNotification {
  if (!NOTIFY_CHANNELS.includes(input.channel)) {
    throw invalidInput(`notify: channel must be one of ${NOTIFY_CHANNELS.join(', ')}, not ${JSON.stringify(input.channel)}`);
  }
  if (!input.ctx?.idempotencyKey) throw invalidInput('notify needs ctx.idempotencyKey');
  const to = typeof input.to === 'string' ? input.to.trim() : '';
  if (!to) throw invalidInput('notify needs a recipient ("to")');
  if (to.length > MAX_RECIPIENT) throw invalidInput(`notify: the recipient is longer than ${MAX_RECIPIENT} characters`);
  const text = typeof input.text === 'string' ? input.text : '';
  if (!text.trim()) throw invalidInput('notify needs a text');
  if (text.length > MAX_BODY) throw invalidInput(`notify: the text is longer than ${MAX_BODY} characters`);
  const subject = input.subject?.trim() ? input.subject.trim().slice(0, MAX_SUBJECT) : null;
  return { channel: input.channel, to, subject, text, purpose: input.purpose?.trim() || null };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
