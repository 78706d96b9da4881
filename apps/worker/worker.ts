import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { Pool } from 'pg';
import { createActivities } from '../../activities';
import { createRunLogWriter } from '../../activities/run-events/run-log-writer';
import { runLogSinks } from '../../activities/run-events/run-log-sink';
import { createUpkeepActivities, startKpiFactsRefresh } from '../../upkeep';
import { workflowBundlerOptions } from '../../workflows/interpreter/bundle-options';

export interface CauceWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  /** A bundle made at build time (`dist/workflow-bundle.js`); without one the worker bundles at start. */
  workflowBundlePath?: string;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Keep the KPI facts current every this many ms (upkeep/kpi-facts); unset or null: no refresh loop (tests refresh explicitly). */
  kpiRefreshIntervalMs?: number | null;
}

/** Where the workflows live (apps/worker/workflows), in source (tests, ts) or compiled (dist) form. */
export function workflowsPath(): string {
  const base = path.resolve(__dirname, 'workflows');
  return fs.existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

export async function createCauceWorker(options: CauceWorkerOptions): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  // An idle client whose server went away (PostgreSQL restarting) emits 'error'; unhandled, that
  // would end the worker. The pool drops that client and the next activity connects afresh
  // (a failing activity is retried by Temporal), so the worker keeps polling.
  pool.on('error', (err) => console.warn(`[worker] PostgreSQL connection lost: ${err.message}`));
  // The run reconciler describes workflows; a regular client, since the activity context's client
  // over the worker's NativeConnection is experimental (its error mapping may differ).
  const clientConnection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: options.namespace });
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> =
    options.workflowBundlePath && fs.existsSync(options.workflowBundlePath)
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: workflowsPath(), bundlerOptions: workflowBundlerOptions(workflowsPath()) };
  // Run events and closing index rows of flowRunV2 runs, many runs per transaction (contracts/run-log.ts).
  const runLog = createRunLogWriter({ pool });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowSource,
    // The reconciler replays with the same workflow code to rebuild a close a crash lost (upkeep/runs-reconciler/rebuild.ts).
    activities: { ...createActivities({ pool }), ...createUpkeepActivities({ pool, client, workflows: workflowSource }) },
    sinks: runLogSinks(runLog),
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions ?? 100,
    // Conversations wait most of their lives; keep them cached so a chat turn needs no replay.
    maxCachedWorkflows: 2000,
  });
  const kpiFacts = options.kpiRefreshIntervalMs ? startKpiFactsRefresh({ pool, intervalMs: options.kpiRefreshIntervalMs }) : undefined;
  return {
    worker,
    close: async () => {
      await kpiFacts?.stop();
      // What runs handed over before the worker stopped is committed before the pool closes.
      await runLog.close();
      await pool.end();
      await clientConnection.close();
      await connection.close();
    },
  };
}
