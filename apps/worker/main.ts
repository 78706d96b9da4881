import * as path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadConfig, requireConnections } from '../../libs/config/config';
import { ensureUpkeepSchedulesOnStart } from '../../upkeep';
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
    // The KPI reads never refresh their facts; this process does (CAUCE_KPI_REFRESH_INTERVAL, default 5s).
    kpiRefreshIntervalMs: config.kpiRefreshIntervalMs,
  });
  console.log(`[worker] polling task queue "${config.temporal.taskQueue}" on ${temporalAddress}`);
  if (config.kpiRefreshIntervalMs === null)
    console.log('[kpis] CAUCE_KPI_REFRESH_INTERVAL=off: KPI figures change only at an alert check or on POST /api/kpis/refresh');
  // The platform's upkeep (upkeep/): KPI alerts, runs closed outside their workflow code, the outbox.
  void ensureUpkeepSchedulesOnStart({ address: temporalAddress, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue });
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
