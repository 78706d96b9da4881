import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { errorMessage } from '../errors';
import type { NotificationProvider, NotifyChannel, OutboundNotification } from './provider';

// Sending one outbox row and recording the outcome on it: shared by the `notify` activity (the
// node's own try) and the outbox dispatch (upkeep/outbox-dispatch: what waited for a provider).

/** An `outbox` row as notify and the outbox dispatch read it (OUTBOX_COLUMNS). */
export interface OutboxRow {
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

export const OUTBOX_COLUMNS = 'id::text AS id, status, reason, attempts, subject, body, purpose, recipient, run_id, flow_id, node_id';

/** A claimed row, ready to send: its idempotency key and channel besides OUTBOX_COLUMNS. */
export type ClaimedOutboxRow = OutboxRow & { idempotency_key: string; channel: NotifyChannel };

const MAX_REASON = 1_000;

export const noProviderReason = (channel: string) => `no provider configured for ${channel}`;

export interface DeliveryFailure {
  message: string;
  nonRetryable: boolean;
  type?: string;
  nextRetryDelay?: NonNullable<ApplicationFailure['nextRetryDelay']>;
}

/** Sends one claimed row (its `attempts` already counts this try) and records the result on it. */
export async function deliver(
  pool: Pool,
  provider: NotificationProvider,
  row: ClaimedOutboxRow,
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
