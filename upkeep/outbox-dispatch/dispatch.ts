import type { Pool } from 'pg';
import { deliver, noProviderReason } from '../../activities/notify/outbox-delivery';
import { OutboxRepository } from '../../libs/outbox/outbox.repository';
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
  const outbox = new OutboxRepository(pool);
  const claimed = input.ids?.length ? await outbox.claimByIds(input.ids, channels) : await outbox.claimPending(channels, limit);
  const result: DispatchOutboxResult = { sent: 0, failed: 0, results: [] };
  for (const row of claimed) {
    const failure = await deliver(outbox, providers[row.channel]!, row);
    if (failure) result.failed++;
    else result.sent++;
    result.results.push({ id: row.id, status: failure ? 'failed' : 'sent', ...(failure ? { reason: failure.message } : {}) });
  }
  // Asked-for rows that were not sent: already sent, unknown, or no provider for their channel.
  for (const id of input.ids ?? []) {
    if (result.results.some((r) => r.id === id)) continue;
    const r = await outbox.statusOf(id);
    result.results.push({
      id,
      status: r ? r.status : 'not_found',
      ...(r && r.status !== 'sent' ? { reason: noProviderReason(r.channel) } : {}),
    });
  }
  return result;
}
