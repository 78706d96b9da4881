import { ApplicationFailure } from '@temporalio/common';
import type { ClaimedOutboxRow, OutboxRepository } from '../../libs/outbox/outbox.repository';
import { errorMessage } from '../errors';
import type { NotificationProvider, OutboundNotification } from './provider';

// Sending one outbox row and recording the outcome on it (through libs/outbox, the table's one
// writer): shared by the `notify` activity (the node's own try) and the outbox dispatch
// (upkeep/outbox-dispatch: what waited for a provider).

const MAX_REASON = 1_000;

export const noProviderReason = (channel: string) => `no provider configured for ${channel}`;

export interface DeliveryFailure {
  message: string;
  nonRetryable: boolean;
  type?: string;
  nextRetryDelay?: NonNullable<ApplicationFailure['nextRetryDelay']>;
}

/** Sends one claimed row (its `attempts` already counts this try) and records the result on it. */
export async function deliver(outbox: OutboxRepository, provider: NotificationProvider, row: ClaimedOutboxRow): Promise<DeliveryFailure | null> {
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
    await outbox.markFailed(row.id, reason);
    const app = err instanceof ApplicationFailure ? err : undefined;
    return {
      message: errorMessage(err),
      nonRetryable: !!app?.nonRetryable,
      ...(app?.type ? { type: app.type } : {}),
      ...(app?.nextRetryDelay != null ? { nextRetryDelay: app.nextRetryDelay } : {}),
    };
  }
  await outbox.markSent(row.id);
  return null;
}
