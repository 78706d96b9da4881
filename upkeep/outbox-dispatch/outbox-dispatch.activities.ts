import { dispatchOutbox, OutboxDispatchDeps } from './dispatch';
import type { DispatchOutboxInput, DispatchOutboxResult, OutboxActivities } from './types';

export type { OutboxDispatchDeps };

/**
 * `dispatchOutbox`: one pass over the outbox (./dispatch.ts). Run by `dispatchOutboxWorkflow`, on the
 * `cauce-outbox-dispatch` Schedule and for an operator's resend (POST /api/outbox/:id/resend). Safe
 * to retry: a row is claimed before it is sent, and a sent row is never sent again.
 */
export function createOutboxDispatchActivities(deps: OutboxDispatchDeps): OutboxActivities {
  return {
    async dispatchOutbox(input: DispatchOutboxInput = {}): Promise<DispatchOutboxResult> {
      return dispatchOutbox(deps, input ?? {});
    },
  };
}
