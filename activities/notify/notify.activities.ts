import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { DispatchOutboxInput, DispatchOutboxResult, NotifyInput, NotifyOutput } from '../../contracts/activities';
import { classifyDbError, errorMessage, invalidInput } from '../errors';
import { NOTIFY_CHANNELS, NotificationProvider, NotifyChannel, OutboundNotification } from './provider';

export interface NotifyDeps {
  pool: Pool;
  /** Delivery per channel; a channel without one leaves its notifications pending in the outbox. */
  providers?: Partial<Record<NotifyChannel, NotificationProvider>>;
}

interface OutboxRow {
  id: string;
  status: 'pending' | 'sent' | 'failed';
  reason: string | null;
  attempts: number;
  subject: string | null;
  body: string;
  purpose: string | null;
  recipient: string;
  run_id: string | null;
  flow_id: string | null;
  node_id: string | null;
}

const MAX_RECIPIENT = 2_000;
const MAX_SUBJECT = 1_000;
const MAX_BODY = 100_000;
const MAX_REASON = 1_000;

const COLUMNS = 'id::text AS id, status, reason, attempts, subject, body, purpose, recipient, run_id, flow_id, node_id';

export const noProviderReason = (channel: string) => `no provider configured for ${channel}`;

/**
 * The `notify` activity (also how the interpreter delivers messages on non-chat channels).
 *
 * 1. The notification is written to `outbox`, once per node visit (`idempotency_key` =
 *    `ctx.idempotencyKey`; a retry finds the same row).
 * 2. No provider for the channel: the row stays `pending` with reason
 *    "no provider configured for <channel>", and the activity returns status `pending`. That is not
 *    an error (the node takes `next`); the outbox is where an operator sees it, and where a later
 *    dispatcher can pick it up.
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

    /**
     * Sends what the outbox holds back (DESIGN: the outbox is where undelivered notifications wait).
     *
     * - Without `ids` (the scheduled pass): `pending` rows of channels that have a provider now,
     *   oldest first, at most `limit`. A row is claimed by bumping `attempts` (which touches
     *   `updated_at`), and rows touched in the last minute are left alone, so two passes, or a pass
     *   and the node's own activity retry, do not send the same row at once.
     * - With `ids` (an operator's resend from the API): those rows, `pending` or `failed`; `sent`
     *   rows are never sent again.
     * Failures are recorded on the row and counted, not thrown: one bad address must not hold up
     * the rest of the pass.
     */
    async dispatchOutbox(input: DispatchOutboxInput = {}): Promise<DispatchOutboxResult> {
      const limit = Math.min(Math.max(1, Math.floor(input.limit ?? 50)), 500);
      const channels = NOTIFY_CHANNELS.filter((c) => providers[c]);
      const claim = input.ids?.length
        ? await pool.query<OutboxRow & { idempotency_key: string; channel: NotifyChannel }>(
            `UPDATE outbox SET attempts = attempts + 1
             WHERE id = ANY($1::uuid[]) AND status <> 'sent' AND channel = ANY($2::text[])
             RETURNING ${COLUMNS}, idempotency_key, channel`,
            [input.ids, channels],
          )
        : await pool.query<OutboxRow & { idempotency_key: string; channel: NotifyChannel }>(
            `UPDATE outbox SET attempts = attempts + 1
             WHERE id IN (
               SELECT id FROM outbox
               WHERE status = 'pending' AND channel = ANY($1::text[]) AND updated_at < now() - interval '1 minute'
               ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
             RETURNING ${COLUMNS}, idempotency_key, channel`,
            [channels, limit],
          );
      const result: DispatchOutboxResult = { sent: 0, failed: 0, results: [] };
      for (const row of claim.rows) {
        const failure = await deliver(pool, providers[row.channel]!, row);
        if (failure) result.failed++;
        else result.sent++;
        result.results.push({ id: row.id, status: failure ? 'failed' : 'sent', ...(failure ? { reason: failure.message } : {}) });
      }
      // Asked-for rows that were not sent: already sent, unknown, or no provider for their channel.
      for (const id of input.ids ?? []) {
        if (result.results.some((r) => r.id === id)) continue;
        const found = await pool.query<{ status: string; channel: string }>(`SELECT status, channel FROM outbox WHERE id = $1::uuid`, [id]);
        const r = found.rows[0];
        result.results.push({
          id,
          status: r ? (r.status as 'pending' | 'sent' | 'failed') : 'not_found',
          ...(r && r.status !== 'sent' ? { reason: noProviderReason(r.channel) } : {}),
        });
      }
      return result;
    },
  };
}


interface DeliveryFailure {
  message: string;
  nonRetryable: boolean;
  type?: string;
  nextRetryDelay?: NonNullable<ApplicationFailure['nextRetryDelay']>;
}

/** Sends one claimed row (its `attempts` already counts this try) and records the result on it. */
async function deliver(
  pool: Pool,
  provider: NotificationProvider,
  row: OutboxRow & { idempotency_key: string; channel: NotifyChannel },
): Promise<DeliveryFailure | null> {
  const notification: OutboundNotification = {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    text: row.body,
    purpose: row.purpose,
    runId: row.run_id,
    flowId: row.flow_id,
    nodeId: row.node_id,
    attempt: row.attempts,
  };
  try {
    await provider.send(notification);
  } catch (err) {
    const reason = `${provider.name}: ${errorMessage(err)}`.slice(0, MAX_REASON);
    await pool.query(`UPDATE outbox SET status = 'failed', reason = $2 WHERE id = $1 AND status <> 'sent'`, [row.id, reason]);
    const app = err instanceof ApplicationFailure ? err : undefined;
    return {
      message: errorMessage(err),
      nonRetryable: !!app?.nonRetryable,
      ...(app?.type ? { type: app.type } : {}),
      ...(app?.nextRetryDelay != null ? { nextRetryDelay: app.nextRetryDelay } : {}),
    };
  }
  await pool.query(`UPDATE outbox SET status = 'sent', reason = NULL, sent_at = now() WHERE id = $1`, [row.id]);
  return null;
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
  const columns = COLUMNS;
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
