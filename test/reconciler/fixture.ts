import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { createRunEventActivities } from '../../activities/run-events/run-events.activities';
import { runLogSinks } from '../../activities/run-events/run-log-sink';
import { createRunLogWriter, type RunLogWriter } from '../../activities/run-events/run-log-writer';
import type { RunLogEntry } from '../../contracts/run-log';
import { silentLogger } from '../../libs/runtime/log';
import { createRunsReconcilerActivities } from '../../upkeep/runs-reconciler/runs-reconciler.activities';
import { testInfra } from '../infra';
import { createFakeActivities } from '../interpreter/fake-activities';
import { workflowBundle } from '../interpreter/harness';

export type EventRow = { seq: number; type: string; node_id: string | null; data: Record<string, unknown> };

/**
 * What the reconciler's rebuild suites share (upkeep/runs-reconciler/*.itest.ts): the dev server of
 * the global setup, PostgreSQL, a real run-log writer, workers whose run-log sink a test decides
 * (one that drops entries stands for a worker that died before its writer committed), the
 * reconciler's activities as the worker builds them, and readers of what ended up in PostgreSQL.
 */
export class ReconcilerFixture {
  env!: TestWorkflowEnvironment;
  pool!: Pool;
  writer!: RunLogWriter;
  readonly fakes = createFakeActivities();
  readonly logs: string[] = [];
  private readonly workers: { worker: Worker; running: Promise<void> }[] = [];

  async setup(): Promise<void> {
    const { temporalAddress, databaseUrl } = testInfra();
    this.env = await TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress });
    this.pool = new Pool({ connectionString: databaseUrl, max: 4 });
    this.writer = createRunLogWriter({ pool: this.pool, log: silentLogger });
  }

  /** A worker on `taskQueue` whose run-log sink hands entries to `record`; the legacy type writes through the activities. */
  async startWorker(taskQueue: string, record: (entry: RunLogEntry) => void): Promise<{ worker: Worker; running: Promise<void> }> {
    const worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...createRunEventActivities({ pool: this.pool }), ...this.fakes.activities },
      sinks: runLogSinks({ record }),
    });
    const w = { worker, running: worker.run() };
    this.workers.push(w);
    return w;
  }

  async teardown(): Promise<void> {
    for (const w of this.workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await Promise.all(this.workers.map((w) => w.running.catch(() => undefined)));
    await this.writer?.close();
    await this.pool?.end();
    await this.env?.teardown();
  }

  /** The reconciler's activities as the worker builds them; one per test keeps what a worker keeps across passes. */
  async reconciler() {
    return createRunsReconcilerActivities({
      pool: this.pool,
      client: this.env.client,
      log: (line) => this.logs.push(line),
      workflows: { workflowBundle: await workflowBundle() },
    });
  }

  async events(runId: string): Promise<EventRow[]> {
    return (await this.pool.query(`SELECT seq, type, node_id, data FROM run_events WHERE run_id = $1 ORDER BY seq`, [runId])).rows;
  }

  async indexRow(runId: string) {
    return (await this.pool.query(`SELECT status, outcome, closed_at, updated_at FROM runs WHERE run_id = $1`, [runId])).rows[0];
  }
}

/** Seq, type and node of each event: what the run did, without the times. */
export const shape = (rows: EventRow[]) => rows.map((e) => [e.seq, e.type, e.node_id]);
