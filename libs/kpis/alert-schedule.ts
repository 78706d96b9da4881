import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { CheckAlertsInput } from '../../activities/contracts';
import { intervalMs, loadKpiSettings } from './config';

export const ALERT_SCHEDULE_ID = 'cauce-alert-check';
export const ALERT_CHECK_WORKFLOW = 'alertCheckWorkflow';

export interface AlertScheduleOptions {
  /** Default `cauce-alert-check`; tests use their own. */
  scheduleId?: string;
  /** The workflow's input (tests limit the check to their rules). */
  input?: CheckAlertsInput;
}

/**
 * Creates the Temporal Schedule that runs `alertCheckWorkflow` every `interval` (a duration such as
 * `1m`, `30s`), or updates it when it exists with another interval or task queue. Idempotent, and
 * safe when several workers or API instances call it at once (the loser of the create updates).
 * Overlapping checks are skipped; a check missed while Temporal was down is caught up within a minute.
 */
export async function ensureAlertSchedule(
  client: Client,
  taskQueue: string,
  interval = '1m',
  options: AlertScheduleOptions = {},
): Promise<'created' | 'updated' | 'unchanged'> {
  const scheduleId = options.scheduleId ?? ALERT_SCHEDULE_ID;
  const every = intervalMs(interval);
  const spec = { intervals: [{ every }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: ALERT_CHECK_WORKFLOW,
    taskQueue,
    workflowId: scheduleId,
    args: [options.input ?? {}],
    workflowExecutionTimeout: Math.max(every * 5, 5 * 60_000),
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { note: 'Cauce: KPI alert rules check' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const currentEvery = current.spec.intervals?.[0]?.every;
  const currentAction = current.action.type === 'startWorkflow' ? current.action : undefined;
  const sameArgs = JSON.stringify(currentAction?.args ?? []) === JSON.stringify(action.args);
  if (Number(currentEvery) === every && currentAction?.taskQueue === taskQueue && currentAction?.workflowType === ALERT_CHECK_WORKFLOW && sameArgs) {
    return 'unchanged';
  }
  await handle.update((prev) => ({ spec, action, policies: { ...prev.policies, ...policies }, state: { paused: prev.state.paused, note: prev.state.note } }));
  return 'updated';
}

/**
 * For the worker's start: connects, ensures the schedule with `KPI_ALERT_CHECK_INTERVAL` (default
 * 1m; `off` skips it) and disconnects. Never throws: alerts are not worth failing a worker start for;
 * a problem is logged and the next start tries again.
 */
export async function ensureAlertScheduleOnStart(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  let connection: Connection | undefined;
  try {
    const interval = loadKpiSettings(options.env ?? process.env).alertCheckInterval;
    if (!interval) {
      log('[alerts] KPI_ALERT_CHECK_INTERVAL=off: alert rules are not checked');
      return;
    }
    connection = await Connection.connect({ address: options.address });
    const client = new Client({ connection, namespace: options.namespace });
    const outcome = await ensureAlertSchedule(client, options.taskQueue, interval);
    if (outcome !== 'unchanged') log(`[alerts] schedule ${ALERT_SCHEDULE_ID} ${outcome}: alert rules checked every ${interval}`);
  } catch (err) {
    log(`[alerts] could not set up the alert check schedule: ${(err as Error)?.message ?? err}`);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
