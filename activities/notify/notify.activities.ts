import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { NotifyInput, NotifyOutput } from '../../contracts/activities';
import { classifyDbError, invalidInput } from '../errors';
import { deliver, noProviderReason, OUTBOX_COLUMNS, OutboxRow } from './outbox-delivery';
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
 * 1. The notification is written to `outbox`, once per node visit (`idempotency_key` =
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
      const provider = providers[n.channel];
      const initialReason = provider ? null : noProviderReason(n.channel);
      let row: OutboxRow;
      try {
        row = await insertOnce(pool, input, n, initialReason);
      } catch (err) {
        throw classifyDbError(err, 'notify: could not write the outbox');
      }
      if (row.status === 'sent') return { outboxId: row.id, status: 'sent' };

      if (!provider) {
        if (row.status !== 'pending' || row.reason !== initialReason) {
          await pool.query(`UPDATE outbox SET status = 'pending', reason = $2 WHERE id = $1 AND status <> 'sent'`, [row.id, initialReason]);
        }
        return { outboxId: row.id, status: 'pending', reason: initialReason! };
      }

      const { rows } = await pool.query<{ attempts: number }>(`UPDATE outbox SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [row.id]);
      const failure = await deliver(pool, provider, { ...row, idempotency_key: input.ctx.idempotencyKey, channel: n.channel, attempts: rows[0]?.attempts ?? row.attempts + 1 });
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

async function insertOnce(pool: Pool, input: NotifyInput, n: ValidNotification, reason: string | null): Promise<OutboxRow> {
  const columns = OUTBOX_COLUMNS;
  const inserted = await pool.query<OutboxRow>(
    `INSERT INTO outbox (run_id, flow_id, node_id, idempotency_key, channel, recipient, subject, body, purpose, status, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${columns}`,
    [input.ctx.runId ?? null, input.ctx.flowId ?? null, input.ctx.nodeId ?? null, input.ctx.idempotencyKey, n.channel, n.to, n.subject, n.text, n.purpose, reason],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  const existing = await pool.query<OutboxRow>(`SELECT ${columns} FROM outbox WHERE idempotency_key = $1`, [input.ctx.idempotencyKey]);
  if (!existing.rows[0]) throw new Error('outbox idempotency conflict but no row found; retrying');
  return existing.rows[0];
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
