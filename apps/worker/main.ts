import * as path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadConfig, requireConnections } from '../../libs/config/config';
import { ensureAlertScheduleOnStart } from '../../libs/kpis/alert-schedule';
import { ensureOutboxScheduleOnStart } from '../../libs/outbox/schedule';
import { ensureReconcileScheduleOnStart } from '../../libs/runs-reconciler/schedule';
import { createCauceWorker } from './worker';

async function main(): Promise<void> {
  // Under the launcher (an IPC parent) a terminal's Ctrl-C reaches this process too; the launcher
  // stops the API first and then sends this worker SIGTERM, so SIGINT is ignored here. Run alone
  // (docker compose, by hand), SIGINT and SIGTERM both drain the worker.
  const supervised = process.connected;
  if (supervised) process.on('SIGINT', () => undefined);
  Runtime.install({ shutdownSignals: supervised ? ['SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'] });
  const config = loadConfig();
  const { databaseUrl, temporalAddress } = requireConnections(config);
  const { worker, close } = await createCauceWorker({
    temporalAddress,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    databaseUrl,
    workflowBundlePath: process.env.CAUCE_WORKFLOW_BUNDLE ?? path.resolve(__dirname, '../../workflow-bundle.js'),
  });
  console.log(`[worker] polling task queue "${config.temporal.taskQueue}" on ${temporalAddress}`);
  // The platform's upkeep: KPI alerts, runs closed outside their workflow code, the outbox.
  const upkeep = { address: temporalAddress, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue };
  void ensureAlertScheduleOnStart(upkeep);
  void ensureReconcileScheduleOnStart(upkeep);
  void ensureOutboxScheduleOnStart(upkeep);
  // The launcher talks to this process over IPC; if the launcher dies, so does the worker.
  process.on('disconnect', () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  await worker.run();
  await close();
  console.log('[worker] stopped');
  // The IPC channel to the launcher would keep the process alive.
  process.exit(0);
}

main().catch((err) => {
  console.error(`[worker] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
