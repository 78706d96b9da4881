import * as fs from 'node:fs';
import * as path from 'node:path';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { Pool } from 'pg';
import { createActivities } from '../../activities';

export interface CauceWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  /** A bundle made at build time (`dist/workflow-bundle.js`); without one the worker bundles at start. */
  workflowBundlePath?: string;
  maxConcurrentWorkflowTaskExecutions?: number;
}

/** Where the workflows live, in source (tests, ts) or compiled (dist) form. */
export function workflowsPath(): string {
  const base = path.resolve(__dirname, '../../workflows/index');
  return fs.existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

export async function createCauceWorker(options: CauceWorkerOptions): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> =
    options.workflowBundlePath && fs.existsSync(options.workflowBundlePath)
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: workflowsPath() };
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowSource,
    activities: createActivities({ pool }),
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions ?? 100,
    // Conversations wait most of their lives; keep them cached so a chat turn needs no replay.
    maxCachedWorkflows: 2000,
  });
  return {
    worker,
    close: async () => {
      await pool.end();
      await connection.close();
    },
  };
}
