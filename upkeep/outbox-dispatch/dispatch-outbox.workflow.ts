import { proxyActivities } from '@temporalio/workflow';
import type { DispatchOutboxInput, DispatchOutboxResult, OutboxActivities } from './types';

const { dispatchOutbox } = proxyActivities<OutboxActivities>({
  // A pass sends at most `limit` rows, each bounded by its provider's own timeout.
  startToCloseTimeout: '5 minutes',
  // The activity records every outcome on its row and does not throw for a failed delivery, so a
  // retry here is for the database or the worker going away mid-pass.
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/**
 * Sends what waited in the outbox: pending rows whose channel has a provider now (the scheduled
 * pass), or the rows an operator asked to resend (POST /api/outbox/:id/resend). The providers live
 * in the worker, which is why the API goes through a workflow rather than sending itself.
 */
export async function dispatchOutboxWorkflow(input: DispatchOutboxInput = {}): Promise<DispatchOutboxResult> {
  return dispatchOutbox(input ?? {});
}
