// What a crash of the worker's run-log writer loses, and how it comes back, on the real Temporal dev
// server and PostgreSQL. A worker whose run-log sink drops every entry stands for a worker that died
// before its writer committed. A run that closed there is rebuilt from its history by the reconciler's
// pass (row still open) or by its sweep (row closed by the API first); a run still open when its worker
// died hands its entries over again on the next worker; a legacy run is never rebuilt.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Pool } from 'pg';
import { type RunLogWriter } from '../../activities/run-events/run-log-writer';
import type { RunLogEntry } from '../../contracts/run-log';
import { FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW, messageUpdate, openingUpdate } from '../../contracts/run-wire';
import { RunIndexRepository } from '../../libs/runs-index/run-index.repository';
import { uniqueId } from '../../test/infra';
import { ONE_TURN_FLOW, workflowBundle } from '../../test/interpreter/harness';
import { type EventRow, ReconcilerFixture, shape } from '../../test/reconciler/fixture';
import { rebuildRunLog } from './rebuild';
import { reconcileOpenRuns, reconcileRun } from './reconcile';
import { closedWithoutFinish, closedWithoutFinishQuery } from './sweep';

const oneTurn = ONE_TURN_FLOW;

/** The gap check's counts when it found nothing (gaps.itest.ts tests it). */
const NO_GAPS = { gapsFound: 0, gapsFilled: 0, childrenFound: 0, childrenRebuilt: 0 };

describe('rebuilding lost run-log entries from the history (real Temporal and PostgreSQL)', () => {
  const f = new ReconcilerFixture();
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let writer: RunLogWriter;
  const flowId = randomUUID();
  /** A worker that dies before committing anything: its sink drops every entry. */
  const crashed = uniqueId('crashed');
  /** A healthy worker: its sink feeds a real run-log writer. */
  const healthy = uniqueId('healthy');
  const logs = f.logs;

  const startWorker = (taskQueue: string, record: (entry: RunLogEntry) => void) => f.startWorker(taskQueue, record);
  const drop = () => undefined;

  beforeAll(async () => {
    await f.setup();
    ({ env, pool, writer } = f);
    await startWorker(crashed, drop);
    await startWorker(healthy, (e) => writer.record(e));
  }, 90_000);

  afterAll(() => f.teardown());

  const reconciler = () => f.reconciler();
  const events = (runId: string) => f.events(runId);
  const indexRow = (runId: string) => f.indexRow(runId);

  /** As the API starts a run: its index row first (running, not closed), then update-with-start with the opening. */
  async function open(taskQueue: string, workflowType = FLOW_RUN_WORKFLOW, test = false): Promise<WorkflowHandle> {
    const runId = uniqueId('run');
    await new RunIndexRepository(pool).claimStart({
      runId,
      flowId,
      version: 1,
      customerId: null,
      startKey: null,
      test,
      trigger: 'api',
      startedBy: 'test',
    });
    const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
      taskQueue,
      workflowId: runId,
      args: [{ flowId, version: 1, definition: oneTurn, ...(test ? { test } : {}) }],
      workflowIdConflictPolicy: 'FAIL',
    });
    const opening = await env.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation });
    expect(opening).toMatchObject({ status: 'waiting', waitingFor: 'reply' });
    return startWorkflowOperation.workflowHandle();
  }

  async function oneTurnConversation(taskQueue: string, workflowType = FLOW_RUN_WORKFLOW): Promise<string> {
    const handle = await open(taskQueue, workflowType);
    const turn = await handle.executeUpdate(messageUpdate, { args: [{ text: 'quiero mi factura' }] });
    expect(turn).toMatchObject({ status: 'completed', outcome: 'resolved' });
    await handle.result();
    return handle.workflowId;
  }

  /** What a healthy worker writes for the same conversation: the yardstick a rebuild must match. */
  let expected: EventRow[];
  beforeAll(async () => {
    const control = await oneTurnConversation(healthy);
    await writer.drain();
    expected = await events(control);
    expect(expected.at(-1)).toMatchObject({ type: 'run.finished', data: { status: 'completed', outcome: 'resolved' } });
    expect(await indexRow(control)).toMatchObject({ status: 'completed', outcome: 'resolved' });
  }, 60_000);

  it('a run closed on a worker that died before its commit: the pass rebuilds every event and closes the row with the run’s outcome; a second pass changes nothing', async () => {
    const completed = await oneTurnConversation(crashed);
    const cancelledHandle = await open(crashed);
    await cancelledHandle.cancel();
    await expect(cancelledHandle.result()).rejects.toThrow();
    const cancelled = cancelledHandle.workflowId;

    // What the crash left: open rows, no events (the runs themselves are closed in Temporal).
    for (const runId of [completed, cancelled]) {
      expect(await indexRow(runId)).toMatchObject({ status: 'running', closed_at: null, outcome: null });
      expect(await events(runId)).toEqual([]);
    }

    const pass = await (await reconciler()).reconcileRuns({ runIds: [completed, cancelled], idleMs: 0, sweepGraceMs: 0 });
    expect(pass).toEqual({ checked: 2, open: 0, closed: 2, finished: 0, errors: 0, rebuilt: 2, swept: 0, ...NO_GAPS });
    expect(logs).toEqual([]);

    // Exactly what the healthy worker wrote for the same conversation: seq 1..n, the same steps, run.finished last.
    const rebuilt = await events(completed);
    expect(shape(rebuilt)).toEqual(shape(expected));
    expect(rebuilt.map((e) => e.seq)).toEqual(rebuilt.map((_, i) => i + 1));
    expect(rebuilt.at(-1)).toMatchObject({ type: 'run.finished', data: { status: 'completed', outcome: 'resolved' } });
    const closeTime = (await env.client.workflow.getHandle(completed).describe()).closeTime!;
    const row = await indexRow(completed);
    expect(row).toMatchObject({ status: 'completed', outcome: 'resolved' });
    // The close the workflow itself recorded (its own clock at finish), not the time of the rebuild.
    expect(row.closed_at.getTime()).toBeLessThanOrEqual(closeTime.getTime());
    expect(row.closed_at.getTime()).toBeGreaterThan(closeTime.getTime() - 5_000);

    const cancelledEvents = await events(cancelled);
    expect(cancelledEvents.map((e) => e.seq)).toEqual(cancelledEvents.map((_, i) => i + 1));
    expect(cancelledEvents[0].type).toBe('run.started');
    expect(cancelledEvents.at(-1)).toMatchObject({ type: 'run.finished', data: { status: 'cancelled', outcome: 'cancelled' } });
    expect(await indexRow(cancelled)).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });

    const before = await pool.query(`SELECT count(*)::int AS n, max(id) AS last FROM run_events WHERE run_id = ANY($1::text[])`, [[completed, cancelled]]);
    const rowsBefore = [await indexRow(completed), await indexRow(cancelled)];
    const again = await (await reconciler()).reconcileRuns({ runIds: [completed, cancelled], idleMs: 0, sweepGraceMs: 0 });
    expect(again).toEqual({ checked: 0, open: 0, closed: 0, finished: 0, errors: 0, rebuilt: 0, swept: 0, ...NO_GAPS });
    // A direct rebuild writes nothing either: every event is stored and the row keeps its close.
    expect(await rebuildRunLog({ client: env.client, pool, workflows: { workflowBundle: await workflowBundle() } }, completed)).toMatchObject({
      executions: 1,
      events: 0,
      closed: false,
      finished: true,
    });
    expect(
      (await pool.query(`SELECT count(*)::int AS n, max(id) AS last FROM run_events WHERE run_id = ANY($1::text[])`, [[completed, cancelled]])).rows,
    ).toEqual(before.rows);
    expect([await indexRow(completed), await indexRow(cancelled)]).toEqual(rowsBefore);
  });

  it('a row the API closed first (status, no outcome, no run.finished) is found by the sweep once the grace has passed, and rebuilt', async () => {
    const runId = await oneTurnConversation(crashed);
    const row = await indexRow(runId);
    // The API meets the closed run: it has no bundle, so it closes the row plainly.
    expect(await reconcileRun({ db: pool, client: env.client }, { runId, startedAt: row.closed_at ?? new Date() })).toMatchObject({
      open: false,
      status: 'completed',
      closed: true,
      finished: false,
    });
    const apiClosed = await indexRow(runId);
    expect(apiClosed).toMatchObject({ status: 'completed', outcome: null });
    expect(await events(runId)).toEqual([]);
    expect(await closedWithoutFinish(pool, { windowMs: 60_000, graceMs: 0, limit: 10, runIds: [runId] })).toEqual([runId]);

    // Within the grace the row is left to the writer's own commit.
    expect(await (await reconciler()).reconcileRuns({ runIds: [runId], idleMs: 0 })).toMatchObject({ checked: 0, swept: 0, rebuilt: 0 });
    // A zero window turns the sweep off.
    expect(await (await reconciler()).reconcileRuns({ runIds: [runId], idleMs: 0, sweepGraceMs: 0, sweepWindowMs: 0 })).toMatchObject({ swept: 0 });
    expect(await events(runId)).toEqual([]);

    const pass = await (await reconciler()).reconcileRuns({ runIds: [runId], idleMs: 0, sweepGraceMs: 0 });
    expect(pass).toEqual({ checked: 0, open: 0, closed: 0, finished: 0, errors: 0, rebuilt: 1, swept: 1, ...NO_GAPS });
    expect(shape(await events(runId))).toEqual(shape(expected));
    const after = await indexRow(runId);
    // The status and close time the API wrote stay; the run's own outcome is added.
    expect(after).toMatchObject({ status: 'completed', outcome: 'resolved', closed_at: apiClosed.closed_at });

    expect(await (await reconciler()).reconcileRuns({ runIds: [runId], idleMs: 0, sweepGraceMs: 0 })).toMatchObject({ swept: 0, rebuilt: 0 });
  });

  it('a run still open when its worker died hands every entry over again on the next worker (the sink is called during replay)', async () => {
    const queue = uniqueId('handover');
    const a = await startWorker(queue, drop);
    const handle = await open(queue);
    // Worker A took the run to its first wait, and dies before committing anything.
    a.worker.shutdown();
    await a.running;
    expect(await events(handle.workflowId)).toEqual([]);

    // Worker B (healthy) has no cached copy of the run: the next message replays its history first.
    await startWorker(queue, (e) => writer.record(e));
    const started = Date.now();
    const turn = await handle.executeUpdate(messageUpdate, { args: [{ text: 'quiero mi factura' }] });
    expect(turn).toMatchObject({ status: 'completed', outcome: 'resolved' });
    await handle.result();
    await writer.drain();
    const written = await events(handle.workflowId);
    expect(shape(written)).toEqual(shape(expected));
    expect(await indexRow(handle.workflowId)).toMatchObject({ status: 'completed', outcome: 'resolved' });
    // How long the turn waited for the new worker (a sticky queue of the dead worker would cost its timeout).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('closes a finished test run (the editor’s simulator) without replaying it: it hands nothing over, and the sweep never looks at it', async () => {
    const handle = await open(healthy, FLOW_RUN_WORKFLOW, true);
    await handle.executeUpdate(messageUpdate, { args: [{ text: 'quiero mi factura' }] });
    await handle.result();
    await writer.drain();
    expect(await indexRow(handle.workflowId)).toMatchObject({ status: 'running', closed_at: null });
    const rebuild = jest.fn(async () => {
      throw new Error('a test run must not be replayed');
    });
    const pass = await reconcileOpenRuns({ db: pool, client: env.client, rebuild }, { runIds: [handle.workflowId], idleMs: 0, sweepGraceMs: 0 });
    expect(pass).toEqual({ checked: 1, open: 0, closed: 1, finished: 0, errors: 0, rebuilt: 0, swept: 0, ...NO_GAPS });
    expect(rebuild).not.toHaveBeenCalled();
    expect(await indexRow(handle.workflowId)).toMatchObject({ status: 'completed', outcome: null });
    expect(await events(handle.workflowId)).toEqual([]);
  });

  it('leaves a legacy (flowRunWorkflow) run alone: its events went through activities recorded in its history', async () => {
    const runId = await oneTurnConversation(crashed, LEGACY_FLOW_RUN_WORKFLOW);
    const legacyEvents = await events(runId);
    expect(legacyEvents.at(-1)).toMatchObject({ type: 'run.finished' });
    // The rare legacy row that looks like a lost close: its index activity gave up, the API closed it, its run.finished is missing.
    await pool.query(`UPDATE runs SET outcome = NULL, updated_at = now() - interval '1 hour' WHERE run_id = $1`, [runId]);
    await pool.query(`DELETE FROM run_events WHERE run_id = $1 AND type = 'run.finished'`, [runId]);
    const rowBefore = await indexRow(runId);
    const eventsBefore = await events(runId);

    expect(await rebuildRunLog({ client: env.client, pool, workflows: { workflowBundle: await workflowBundle() } }, runId)).toEqual({
      skipped: 'legacy',
      executions: 0,
      partial: false,
      entries: 0,
      events: 0,
      finished: false,
      closed: false,
    });
    const pass = await (await reconciler()).reconcileRuns({ runIds: [runId], idleMs: 0, sweepGraceMs: 0 });
    expect(pass).toMatchObject({ swept: 1, rebuilt: 0, errors: 0 });
    expect(await indexRow(runId)).toEqual(rowBefore);
    expect(await events(runId)).toEqual(eventsBefore);
  });

  it('the sweep reads only the partial index of closed rows without an outcome, however many closed runs the table holds', async () => {
    const bulkFlow = randomUUID();
    await pool.query(
      `INSERT INTO runs (run_id, flow_id, version, status, outcome, started_at, closed_at)
       SELECT 'bulk-' || g, $1, 1, 'completed', 'resolved', now() - interval '2 hours', now() - interval '1 hour' FROM generate_series(1, 20000) g`,
      [bulkFlow],
    );
    try {
      await pool.query('ANALYZE runs');
      const { text, values } = closedWithoutFinishQuery({ windowMs: 24 * 3600_000, graceMs: 60_000, limit: 50 });
      const plan = (await pool.query(`EXPLAIN ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/runs_closed_without_outcome/);
      expect(plan).not.toMatch(/Seq Scan on runs/);
    } finally {
      await pool.query(`DELETE FROM runs WHERE flow_id = $1`, [bulkFlow]);
    }
  });
});
