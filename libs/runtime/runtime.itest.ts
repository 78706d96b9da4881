import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { createRunEventActivities } from '../../activities/run-events/run-events.activities';
import { testInfra, uniqueId } from '../../test/infra';
import { recordEventsWorkflow } from '../../test/fixtures/record-events.workflow';

/**
 * The foundation end to end: a Temporal dev server started by the SDK from the resolved CLI
 * (`existing-path`, no download), a real worker, and an activity writing to the real PostgreSQL.
 */
describe('runtime foundation', () => {
  let env: TestWorkflowEnvironment;
  let pool: Pool;

  beforeAll(async () => {
    const { temporalCli, databaseUrl } = testInfra();
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCli }, ip: '127.0.0.1', extraArgs: ['--headless'] },
    });
    pool = new Pool({ connectionString: databaseUrl });
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  it('runs a workflow on the real dev server that writes run events to PostgreSQL exactly once', async () => {
    const taskQueue = uniqueId('foundation');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../test/fixtures/record-events.workflow'),
      activities: createRunEventActivities({ pool }),
    });
    const flowId = randomUUID();
    const workflowId = uniqueId('run');
    const result = await worker.runUntil(env.client.workflow.execute(recordEventsWorkflow, { taskQueue, workflowId, args: [flowId, 3] }));
    // 3 rows written by the first batch, 0 by the identical retry.
    expect(result).toBe(3000);
    const rows = await pool.query('SELECT seq, type, node_id FROM run_events WHERE run_id = $1 ORDER BY seq', [workflowId]);
    expect(rows.rows).toEqual([
      { seq: 1, type: 'probe', node_id: 'n0' },
      { seq: 2, type: 'probe', node_id: 'n1' },
      { seq: 3, type: 'probe', node_id: 'n2' },
    ]);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const timerStarted = history.events?.some((e) => e.timerStartedEventAttributes);
    expect(timerStarted).toBe(true);
  });

  it('has run the migrations: the run index rejects a second open run with the same start key', async () => {
    const flowId = randomUUID();
    const insert = (runId: string) =>
      pool.query(`INSERT INTO runs (run_id, flow_id, version, start_key, status) VALUES ($1, $2, 1, 'order-42', 'running')`, [runId, flowId]);
    await insert(uniqueId('run'));
    await expect(insert(uniqueId('run'))).rejects.toMatchObject({ code: '23505' });
  });
});
