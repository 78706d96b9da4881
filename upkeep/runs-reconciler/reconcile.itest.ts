// The run reconciler end to end on the real worker (createCauceWorker, which registers the
// reconcile workflow and activity), the Temporal dev server and PostgreSQL: a run started through
// the API and terminated with the Temporal client gets its run.finished from the scheduled pass and
// counts as finished (terminated) in the KPI facts; the API's own reconciliation writes the same
// event at a command (a GET never writes); a run timed out by Temporal, and runs Temporal does not know, are closed by the activity.
import { randomUUID } from 'node:crypto';
import { ApiHarness, flow } from '../../test/e2e/api-harness';
import { uniqueId } from '../../test/infra';
import { FLOW_RUN_WORKFLOW } from '../../contracts/run-wire';
import { refreshRunFacts } from '../../libs/kpis/facts';
import { RunEventRepository } from '../../libs/run-events/run-event.repository';
import { createRunsReconcilerActivities } from './runs-reconciler.activities';
import { ensureReconcileSchedule } from './schedule';

// Waits for a business event: a wait that is not a chat reply flushes the run's events at once.
const waiting = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola' }],
    ['wait', 'waitForEvent', { event: 'purchase.completed', timeout: '1h', variable: 'purchase' }],
    ['won', 'end', { outcome: 'converted' }],
    ['lost', 'end', { outcome: 'abandoned' }],
  ],
  [
    ['start', 'next', 'hi'],
    ['hi', 'next', 'wait'],
    ['wait', 'event', 'won'],
    ['wait', 'timeout', 'lost'],
  ],
);

/** The gap check's counts when it found nothing (gaps.itest.ts tests it). */
const NO_GAPS = { gapsFound: 0, gapsFilled: 0, childrenFound: 0, childrenRebuilt: 0 };

describe('run reconciler (real worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  const schedules: string[] = [];
  beforeAll(() => h.setup({ worker: true }), 90_000);
  afterAll(async () => {
    for (const id of schedules)
      await h.temporal.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await h.teardown();
  });

  const events = async (runId: string) =>
    (await h.pool.query(`SELECT seq, type, data, occurred_at FROM run_events WHERE run_id = $1 ORDER BY seq`, [runId])).rows as {
      seq: number;
      type: string;
      data: Record<string, unknown>;
      occurred_at: Date;
    }[];
  const indexRow = async (runId: string) => (await h.pool.query(`SELECT status, outcome, closed_at, updated_at FROM runs WHERE run_id = $1`, [runId])).rows[0];
  const facts = async (runId: string) => {
    await refreshRunFacts(h.pool);
    return (await h.pool.query(`SELECT started_at, finished_at, outcome FROM kpi_run_facts WHERE run_id = $1`, [runId])).rows[0];
  };
  const reconciler = () => createRunsReconcilerActivities({ pool: h.pool, client: h.temporal, log: () => undefined });

  /** Starts a run through the API and waits until its events so far are stored (it waits for an event). */
  async function waitingRun(flowId: string, customerId: string): Promise<string> {
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId }, 'system');
    expect(started.status).toBe(201);
    const runId: string = started.body.runId;
    await h.eventually(async () => (await events(runId)).some((e) => e.type === 'message.out'));
    return runId;
  }

  it('closes a terminated run on the schedule: run.finished at the next seq and the close time, index row closed, KPI facts finished as terminated', async () => {
    const flowId = await h.publishedFlow('Terminada desde fuera', waiting);
    const runId = await waitingRun(flowId, 'c-terminated');
    const handle = h.temporal.workflow.getHandle(runId);
    await handle.terminate('test: stopped from outside');
    const closeTime = (await handle.describe()).closeTime!;
    const before = await events(runId);
    const lastSeq = Math.max(...before.map((e) => e.seq));
    expect(before.some((e) => e.type === 'run.finished')).toBe(false);
    // Without the reconciler the KPIs see the run as open for ever.
    expect(await facts(runId)).toMatchObject({ finished_at: null, outcome: null });

    const scheduleId = uniqueId('cauce-runs-reconcile-test');
    schedules.push(scheduleId);
    expect(await ensureReconcileSchedule(h.temporal, h.taskQueue, '1s', { scheduleId, input: { runIds: [runId], idleMs: 0 } })).toBe('created');
    expect(await ensureReconcileSchedule(h.temporal, h.taskQueue, '1s', { scheduleId, input: { runIds: [runId], idleMs: 0 } })).toBe('unchanged');
    const row = await h.eventually(async () => {
      const r = await indexRow(runId);
      return r?.closed_at && r;
    }, 30_000);
    expect(row).toMatchObject({ status: 'terminated', outcome: 'terminated' });
    expect(row.closed_at.getTime()).toBe(closeTime.getTime());

    const finished = (await events(runId)).filter((e) => e.type === 'run.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ seq: lastSeq + 1, data: { status: 'terminated', outcome: 'terminated' } });
    expect(finished[0].occurred_at.getTime()).toBe(closeTime.getTime());

    const f = await facts(runId);
    expect(f.finished_at?.getTime()).toBe(closeTime.getTime());
    expect(f.outcome).toBe('terminated');
    const kpis = await h.get(`/api/kpis?flowId=${flowId}`, 'editor');
    expect(kpis.status).toBe(200);
    expect(kpis.body.totals).toMatchObject({ runs: 1, finished: 1, open: 0, outcomes: { terminated: 1 } });

    // Passes after that change nothing: the row is closed and the run has its run.finished.
    await h.temporal.schedule.getHandle(scheduleId).trigger();
    expect(await reconciler().reconcileRuns({ runIds: [runId], idleMs: 0 })).toEqual({
      checked: 0,
      open: 0,
      closed: 0,
      finished: 0,
      errors: 0,
      rebuilt: 0,
      swept: 0,
      ...NO_GAPS,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await events(runId)).filter((e) => e.type === 'run.finished')).toHaveLength(1);
  });

  it('writes the same event when the API meets a terminated run (a command to it)', async () => {
    const flowId = await h.publishedFlow('Terminada, vista por la API', waiting);
    const runId = await waitingRun(flowId, 'c-api');
    const lastSeq = Math.max(...(await events(runId)).map((e) => e.seq));
    await h.temporal.workflow.getHandle(runId).terminate('test');

    // A read reports it terminated but leaves the row to the reconciler...
    const res = await h.get(`/api/runs/${runId}`, 'operator');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'terminated' });
    expect(res.body.closedAt).not.toBeNull();
    expect((await events(runId)).filter((e) => e.type === 'run.finished')).toEqual([]);
    // ...a command that meets the closed run closes it, with the same event the scheduled pass writes.
    const late = await h.post(`/api/runs/${runId}/business-events`, { type: 'purchase.completed' }, 'system');
    expect(late.status).toBe(409);
    const finished = (await events(runId)).filter((e) => e.type === 'run.finished');
    expect(finished).toEqual([expect.objectContaining({ seq: lastSeq + 1, data: { status: 'terminated', outcome: 'terminated' } })]);
    expect(await indexRow(runId)).toMatchObject({ status: 'terminated', outcome: 'terminated' });
    // The scheduled pass finds nothing left to do.
    expect(await reconciler().reconcileRuns({ runIds: [runId], idleMs: 0 })).toMatchObject({ checked: 0 });
  });

  it('writes run.started and run.finished for a run terminated before any of its events was stored; a test run gets none', async () => {
    const flowId = await h.publishedFlow('Terminada antes de guardar eventos', waiting);
    const definition = waiting;
    // A task queue no worker polls: the workflow exists, but none of its code runs, so its event
    // buffer is never flushed (as when Temporal terminates a run at its history limit).
    const nobody = uniqueId('nobody');
    const [runId, testRunId] = [`run-${randomUUID()}`, `run-${randomUUID()}`];
    const startedAt = new Date(Date.now() - 60_000);
    for (const [id, test] of [
      [runId, false],
      [testRunId, true],
    ] as const) {
      await h.pool.query(
        `INSERT INTO runs (run_id, flow_id, version, customer_id, status, test, trigger, started_at) VALUES ($1, $2, 1, 'c-no-events', 'running', $3, $4, $5)`,
        [id, flowId, test, test ? 'test' : 'api', startedAt],
      );
      const handle = await h.temporal.workflow.start(FLOW_RUN_WORKFLOW, {
        taskQueue: nobody,
        workflowId: id,
        args: [{ flowId, version: 1, definition, input: {}, customerId: 'c-no-events', channel: 'chat', locale: 'es', ...(test ? { test: true } : {}) }],
      });
      await handle.terminate('test: before the first flush');
    }
    const closeTime = (await h.temporal.workflow.getHandle(runId).describe()).closeTime!;
    expect(await events(runId)).toEqual([]);

    expect(await reconciler().reconcileRuns({ runIds: [runId, testRunId], idleMs: 0 })).toEqual({
      checked: 2,
      open: 0,
      closed: 2,
      finished: 1,
      errors: 0,
      rebuilt: 0,
      swept: 0,
      ...NO_GAPS,
    });
    const written = await events(runId);
    expect(written.map((e) => [e.seq, e.type, e.data])).toEqual([
      [1, 'run.started', { trigger: 'api', reconstructed: true }],
      [2, 'run.finished', { status: 'terminated', outcome: 'terminated' }],
    ]);
    expect(written[0].occurred_at.getTime()).toBe(startedAt.getTime());
    expect(written[1].occurred_at.getTime()).toBe(closeTime.getTime());
    expect(await indexRow(runId)).toMatchObject({ status: 'terminated', outcome: 'terminated', closed_at: closeTime });
    // The KPIs see it start and finish, as terminated.
    expect(await facts(runId)).toMatchObject({ started_at: startedAt, finished_at: closeTime, outcome: 'terminated' });

    // Test runs never feed the KPIs: closed, without events.
    expect(await indexRow(testRunId)).toMatchObject({ status: 'terminated' });
    expect(await events(testRunId)).toEqual([]);

    // A second pass (or the API meeting the run) writes nothing more.
    expect(await new RunEventRepository(h.pool).recordRunFinished(runId, { status: 'terminated', outcome: 'terminated', at: closeTime })).toBe(false);
    expect(await events(runId)).toHaveLength(2);
  });

  it('closes a run Temporal timed out, leaves running ones open (and moves past them), and settles runs Temporal does not know', async () => {
    const flowId = await h.publishedFlow('Con plazo', waiting);
    const { definition } = (await h.get(`/api/flows/${flowId}/versions/1`, 'editor')).body;

    // A run with a 2 s run timeout, started on the worker's queue as the API would, with its index row.
    const timedOut = `run-${randomUUID()}`;
    await h.pool.query(`INSERT INTO runs (run_id, flow_id, version, customer_id, status) VALUES ($1, $2, 1, 'c-timeout', 'running')`, [timedOut, flowId]);
    const handle = await h.temporal.workflow.start(FLOW_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: timedOut,
      workflowRunTimeout: '2s',
      args: [{ flowId, version: 1, definition, input: {}, customerId: 'c-timeout', channel: 'chat', locale: 'es' }],
    });
    await h.eventually(async () => (await events(timedOut)).some((e) => e.type === 'message.out'));
    const closeTime = await h.eventually(async () => {
      const d = await handle.describe();
      return d.status.name === 'TIMED_OUT' && d.closeTime;
    }, 20_000);

    // Still running: stays open, and its updated_at moves so the next bounded pass starts elsewhere.
    const running = await waitingRun(flowId, 'c-running');
    const runningBefore = await indexRow(running);

    // Not known to Temporal, an hour after start: with events (history gone) and without (never started).
    const lost = `run-${randomUUID()}`;
    const neverStarted = `run-${randomUUID()}`;
    const young = `run-${randomUUID()}`;
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const [id, startedAt] of [
      [lost, hourAgo],
      [neverStarted, hourAgo],
      [young, new Date()],
    ] as const) {
      await h.pool.query(`INSERT INTO runs (run_id, flow_id, version, status, started_at, updated_at) VALUES ($1, $2, 1, 'running', $3, $3)`, [
        id,
        flowId,
        startedAt,
      ]);
    }
    const lostAt = new Date(hourAgo.getTime() + 5_000);
    await h.pool.query(
      `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, data, occurred_at)
       VALUES ($1, $2, 1, 'c-lost', 1, 'run.started', '{}', $3), ($1, $2, 1, 'c-lost', 2, 'node.entered', '{}', $4)`,
      [lost, flowId, hourAgo, lostAt],
    );

    const pass = await reconciler().reconcileRuns({ runIds: [timedOut, running, lost, neverStarted, young], idleMs: 0 });
    expect(pass).toEqual({ checked: 5, open: 2, closed: 3, finished: 2, errors: 0, rebuilt: 0, swept: 0, ...NO_GAPS });

    expect(await indexRow(timedOut)).toMatchObject({ status: 'timed_out', outcome: 'timed_out', closed_at: closeTime });
    const timedOutEvents = await events(timedOut);
    expect(timedOutEvents[timedOutEvents.length - 1]).toMatchObject({
      seq: timedOutEvents.length,
      type: 'run.finished',
      data: { status: 'timed_out', outcome: 'timed_out' },
      occurred_at: closeTime,
    });
    expect(await facts(timedOut)).toMatchObject({ finished_at: closeTime, outcome: 'timed_out' });

    const runningAfter = await indexRow(running);
    expect(runningAfter.closed_at).toBeNull();
    expect(runningAfter.updated_at.getTime()).toBeGreaterThan(runningBefore.updated_at.getTime());
    expect((await events(running)).some((e) => e.type === 'run.finished')).toBe(false);

    expect(await indexRow(lost)).toMatchObject({ status: 'terminated', outcome: 'terminated', closed_at: lostAt });
    expect((await events(lost)).map((e) => [e.seq, e.type, e.data])).toEqual([
      [1, 'run.started', {}],
      [2, 'node.entered', {}],
      [3, 'run.finished', { status: 'terminated', outcome: 'terminated', reason: 'workflow_not_found' }],
    ]);
    expect(await indexRow(neverStarted)).toMatchObject({ status: 'failed', outcome: 'not_started' });
    expect(await events(neverStarted)).toEqual([]);
    expect((await indexRow(young)).closed_at).toBeNull();

    // Only rows idle for idleMs are looked at: the running run was just touched.
    expect(await reconciler().reconcileRuns({ runIds: [running], idleMs: 60_000 })).toMatchObject({ checked: 0 });
    await h.temporal.workflow.getHandle(running).terminate('cleanup');
  });
});
