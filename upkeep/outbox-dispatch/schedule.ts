import { defineUpkeep, upkeepIntervalFromEnv } from '../../libs/runtime/upkeep-schedule';
import { DISPATCH_OUTBOX_WORKFLOW, DispatchOutboxInput } from './types';

export const OUTBOX_SCHEDULE_ID = 'cauce-outbox-dispatch';
export const DEFAULT_OUTBOX_INTERVAL = '1m';

/** `CAUCE_OUTBOX_DISPATCH_INTERVAL`: how often pending notifications are tried (`1m` default), or null for `off`. */
export const outboxIntervalFromEnv = (env: Record<string, string | undefined>) =>
  upkeepIntervalFromEnv(env, 'CAUCE_OUTBOX_DISPATCH_INTERVAL', DEFAULT_OUTBOX_INTERVAL);

const outboxUpkeep = defineUpkeep<DispatchOutboxInput>({
  schedule: {
    scheduleId: OUTBOX_SCHEDULE_ID,
    workflowType: DISPATCH_OUTBOX_WORKFLOW,
    note: 'Cauce: send pending notifications once their channel has a provider',
    minExecutionTimeoutMs: 10 * 60_000,
  },
  intervalFromEnv: outboxIntervalFromEnv,
  defaultInterval: DEFAULT_OUTBOX_INTERVAL,
  tag: '[outbox]',
  whenOff: 'CAUCE_OUTBOX_DISPATCH_INTERVAL=off: pending notifications are sent only when resent through the API',
  whatItDoes: (interval) => `pending notifications tried every ${interval}`,
});

/** Creates or updates the Schedule that runs `dispatchOutboxWorkflow` every `interval` (see ensureUpkeepSchedule). */
export const ensureOutboxSchedule = outboxUpkeep.ensure;
/** For the worker's start: the schedule with `CAUCE_OUTBOX_DISPATCH_INTERVAL`. Never throws. */
export const ensureOutboxScheduleOnStart = outboxUpkeep.ensureOnStart;
