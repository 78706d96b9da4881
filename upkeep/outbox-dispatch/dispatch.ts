import type { Pool } from 'pg';
import { ClaimedOutboxRow, deliver, noProviderReason, OUTBOX_COLUMNS } from '../../activities/notify/outbox-delivery';
import { NOTIFY_CHANNELS, NotificationProvider, NotifyChannel } from '../../activities/notify/provider';
import type { DispatchOutboxInput, DispatchOutboxResult } from './types';

export interface OutboxDispatchDeps {
  pool: Pool;
  /** Delivery per channel (the same providers as the flows' notify); rows of other channels stay pending. */
  providers?: Partial<Record<NotifyChannel, NotificationProvider>>;
}

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
export async function dispatchOutbox(deps: OutboxDispatchDeps, input: DispatchOutboxInput = {}): Promise<DispatchOutboxResult> {
  const { pool, providers = {} } = deps;
  const limit = Math.min(Math.max(1, Math.floor(input.limit ?? 50)), 500);
  const channels = NOTIFY_CHANNELS.filter((c) => providers[c]);
  const claim = input.ids?.length
    ? await pool.query<ClaimedOutboxRow>(
        `UPDATE outbox SET attempts = attempts + 1
         WHERE id = ANY($1::uuid[]) AND status <> 'sent' AND channel = ANY($2::text[])
         RETURNING ${OUTBOX_COLUMNS}, idempotency_key, channel`,
        [input.ids, channels],
      )
    : await pool.query<ClaimedOutboxRow>(
        `UPDATE outbox SET attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM outbox
           WHERE status = 'pending' AND channel = ANY($1::text[]) AND updated_at < now() - interval '1 minute'
           ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${OUTBOX_COLUMNS}, idempotency_key, channel`,
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
}
