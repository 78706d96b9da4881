import type { DispatchOutboxInput, DispatchOutboxResult } from '../../contracts/activities';

export type { DispatchOutboxInput, DispatchOutboxResult };

/** The workflow type the schedule and the API's resend start (registered through upkeep/workflows.ts). */
export const DISPATCH_OUTBOX_WORKFLOW = 'dispatchOutboxWorkflow';

export interface OutboxActivities {
  dispatchOutbox(input: DispatchOutboxInput): Promise<DispatchOutboxResult>;
}
