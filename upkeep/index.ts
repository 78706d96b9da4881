import type { Client } from '@temporalio/client';
import { type ActivityDeps, createNotifyActivities, notificationSetupOf } from '../activities';
import type { StartOptions } from '../libs/runtime/upkeep-schedule';
import { createAlertCheckActivities } from './alert-check/alert-check.activities';
import { ensureAlertScheduleOnStart } from './alert-check/schedule';
import type { AlertActivities } from './alert-check/types';
import { createOutboxDispatchActivities } from './outbox-dispatch/outbox-dispatch.activities';
import { ensureOutboxScheduleOnStart } from './outbox-dispatch/schedule';
import type { OutboxActivities } from './outbox-dispatch/types';
import { createRunsReconcilerActivities } from './runs-reconciler/runs-reconciler.activities';
import { ensureReconcileScheduleOnStart } from './runs-reconciler/schedule';
import type { WorkflowSource } from './runs-reconciler/rebuild';
import type { RunReconcileActivities } from './runs-reconciler/types';

// The KPI facts refresh runs every few seconds: a loop in the worker, not a schedule (kpi-facts/refresh-loop.ts says why).
export { startKpiFactsRefresh, type KpiFactsRefresh } from './kpi-facts/refresh-loop';

// The platform's upkeep jobs, each in its folder (logic, activity, workflow, schedule, tests): the
// KPI alert check, the outbox dispatch and the runs reconciler. Their workflows are in ./workflows.ts
// (workflow code only); this file is the worker's side: the activities and the schedules.

/** Every upkeep activity, by its stable name (the worker registers them beside the flow activities). */
export type UpkeepActivities = AlertActivities & OutboxActivities & RunReconcileActivities;

export interface UpkeepDeps extends ActivityDeps {
  /**
   * The client the reconciler describes workflows with. Default: the activity context's own, which
   * is experimental over a worker's NativeConnection; the worker passes a regular one.
   */
  client?: Client;
  /** How the worker loads its workflows: the reconciler replays closed runs' histories with it to rebuild a lost close (runs-reconciler/rebuild.ts). */
  workflows?: WorkflowSource;
}

/** The upkeep activities, with the same notification providers as the flows' notify (see createActivities). */
export function createUpkeepActivities(deps: UpkeepDeps): UpkeepActivities {
  const { env, providers } = notificationSetupOf(deps);
  return {
    ...createAlertCheckActivities({ pool: deps.pool, env, notify: createNotifyActivities({ pool: deps.pool, providers }).notify }),
    ...createOutboxDispatchActivities({ pool: deps.pool, providers }),
    ...createRunsReconcilerActivities({ pool: deps.pool, client: deps.client, workflows: deps.workflows }),
  };
}

/** For the worker's start: creates or updates each job's schedule from its variable (upkeep/README.md). Never throws. */
export async function ensureUpkeepSchedulesOnStart(target: StartOptions): Promise<void> {
  await Promise.all([ensureAlertScheduleOnStart(target), ensureReconcileScheduleOnStart(target), ensureOutboxScheduleOnStart(target)]);
}
