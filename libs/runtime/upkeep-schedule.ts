import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { intervalMs } from '../kpis/config';

/** One of the platform's periodic jobs (alert check, run reconciliation, outbox dispatch). */
export interface UpkeepSchedule {
  scheduleId: string;
  workflowType: string;
  /** Shown in Temporal's UI next to the schedule. */
  note: string;
  /** The shortest execution timeout of one pass (it is at least five intervals). */
  minExecutionTimeoutMs: number;
}

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the Temporal Schedule that starts `schedule.workflowType` every `interval` (a duration
 * such as `1m`, `30s`) with `args`, or updates it when it exists with another interval, task queue,
 * workflow or arguments. Idempotent, and safe when several workers call it at once (the loser of the
 * create updates). Overlapping passes are skipped; one missed while Temporal was down is caught up
 * within a minute. A schedule paused by an operator stays paused.
 */
export async function ensureUpkeepSchedule(
  client: Client,
  schedule: UpkeepSchedule,
  taskQueue: string,
  interval: string,
  args: unknown[],
): Promise<EnsureOutcome> {
  const { scheduleId, workflowType } = schedule;
  const every = intervalMs(interval);
  const spec = { intervals: [{ every }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType,
    taskQueue,
    workflowId: scheduleId,
    args,
    workflowExecutionTimeout: Math.max(every * 5, schedule.minExecutionTimeoutMs),
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { note: schedule.note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const currentEvery = current.spec.intervals?.[0]?.every;
  const currentAction = current.action.type === 'startWorkflow' ? current.action : undefined;
  const sameArgs = JSON.stringify(currentAction?.args ?? []) === JSON.stringify(action.args);
  if (Number(currentEvery) === every && currentAction?.taskQueue === taskQueue && currentAction?.workflowType === workflowType && sameArgs) {
    return 'unchanged';
  }
  await handle.update((prev) => ({ spec, action, policies: { ...prev.policies, ...policies }, state: { paused: prev.state.paused, note: prev.state.note } }));
  return 'updated';
}

/**
 * For the worker's start: reads the interval (null: the job is off), connects, ensures the schedule
 * and disconnects. Never throws: a worker that can run flows should not refuse to start over upkeep;
 * a problem (a bad interval included) is logged and the next start tries again.
 */
export async function ensureUpkeepScheduleOnStart(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  schedule: UpkeepSchedule;
  /** The interval from the environment, or null when the job is turned off; may throw a ConfigError. */
  interval: () => string | null;
  args?: unknown[];
  /** Log prefix and texts, e.g. `[alerts]`. */
  tag: string;
  whenOff: string;
  whatItDoes: (interval: string) => string;
  log?: (line: string) => void;
}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  let connection: Connection | undefined;
  try {
    const interval = options.interval();
    if (!interval) {
      log(`${options.tag} ${options.whenOff}`);
      return;
    }
    connection = await Connection.connect({ address: options.address });
    const client = new Client({ connection, namespace: options.namespace });
    const outcome = await ensureUpkeepSchedule(client, options.schedule, options.taskQueue, interval, options.args ?? [{}]);
    if (outcome !== 'unchanged') log(`${options.tag} schedule ${options.schedule.scheduleId} ${outcome}: ${options.whatItDoes(interval)}`);
  } catch (err) {
    log(`${options.tag} could not set up the schedule ${options.schedule.scheduleId}: ${(err as Error)?.message ?? err}`);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * An interval variable: a duration of at least one second, the default when unset, or null for
 * `off`. Anything else throws, naming the variable.
 */
export function upkeepIntervalFromEnv(env: Record<string, string | undefined>, name: string, fallback: string): string | null {
  const raw = env[name]?.trim() || fallback;
  if (/^(off|false|0|no|none)$/i.test(raw)) return null;
  let ms: number;
  try {
    ms = intervalMs(raw);
  } catch {
    throw new Error(`Invalid configuration: ${name} must be a duration such as 1m or 30s, or off; got "${raw}"`);
  }
  if (ms < 1000) throw new Error(`Invalid configuration: ${name} must be at least 1s; got "${raw}"`);
  return raw;
}

export interface StartOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

/**
 * One upkeep job's schedule functions from its description: the interval variable, `ensure` (tests
 * pass their own schedule id and input) and `ensureOnStart` for the worker.
 */
export function defineUpkeep<Input>(job: {
  schedule: UpkeepSchedule;
  /** Reads the interval from the environment (null: off); throws a message naming the variable. */
  intervalFromEnv: (env: Record<string, string | undefined>) => string | null;
  defaultInterval: string;
  tag: string;
  whenOff: string;
  whatItDoes: (interval: string) => string;
}) {
  return {
    intervalFromEnv: job.intervalFromEnv,
    ensure(client: Client, taskQueue: string, interval = job.defaultInterval, options: { scheduleId?: string; input?: Input } = {}): Promise<EnsureOutcome> {
      return ensureUpkeepSchedule(client, { ...job.schedule, scheduleId: options.scheduleId ?? job.schedule.scheduleId }, taskQueue, interval, [
        options.input ?? {},
      ]);
    },
    ensureOnStart(options: StartOptions): Promise<void> {
      return ensureUpkeepScheduleOnStart({
        ...options,
        schedule: job.schedule,
        interval: () => job.intervalFromEnv(options.env ?? process.env),
        tag: job.tag,
        whenOff: job.whenOff,
        whatItDoes: job.whatItDoes,
      });
    },
  };
}
