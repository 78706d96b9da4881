// The gap check of the reconciler's pass (gaps.ts), on the real Temporal dev server and PostgreSQL:
// a closed flowRunV2 run with a hole in its run events is made dense again from its history; a
// subflow child whose close was lost (no row) is found through its parent's `subflow.started` and
// rebuilt; a legacy run with a hole is left alone, and only looked at once.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Pool } from 'pg';
import { type RunLogWriter } from '../../activities/run-events/run-log-writer';
import { FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW, messageUpdate } from '../../contracts/run-wire';
import { uniqueId } from '../../test/infra';
import { ONE_TURN_FLOW } from '../../test/interpreter/harness';
import { greetingChildFlow, validFlow } from '../../test/interpreter/spec-util';
import { type EventRow, ReconcilerFixture, shape } from '../../test/reconciler/fixture';
import { childrenWithoutRowQuery, runsWithGapsQuery } from './gaps';

describe('the gap check: holes in run events and subflow children without a row (real Temporal and PostgreSQL)', () => {
  const f = new ReconcilerFixture();
  let env: TestWorkflowEnvironment;
  let pool: Pool;
  let writer: RunLogWriter;
  const fakes = f.fakes;
  /** A worker whose writer lost every entry of subflow children (their workflow ids hold `.sub.`), and nothing else. */
  const queue = uniqueId('gaps');
  const logs = f.logs;
  const childFlow = randomUUID();

  beforeAll(async () => {
    await f.setup();
    ({ env, pool, writer } = f);
    fakes.flows.set(childFlow, {
      version: 2,
      definition: greetingChildFlow(),
    });
    await f.startWorker(queue, (entry) => {
      if ((entry.events?.runId ?? entry.close?.runId ?? '').includes('.sub.')) return;
      writer.record(entry);
    });
  }, 90_000);

  afterAll(() => f.teardown());

  /** One per test, kept across its passes as the worker keeps it. */
  const reconciler = () => f.reconciler();
  const events = (runId: string) => f.events(runId);
  const indexRow = (runId: string) => f.indexRow(runId);
  const pass = { idleMs: 0, sweepGraceMs: 0 };

  async function oneTurnConversation(workflowType: string): Promise<string> {
    const handle = await env.client.workflow.start(workflowType, {
      taskQueue: queue,
      workflowId: uniqueId('run'),
      args: [{ flowId: randomUUID(), version: 1, definition: ONE_TURN_FLOW, input: {} }],
    });
    await handle.executeUpdate(messageUpdate, { args: [{ text: 'quiero mi factura' }] });
    await handle.result();
    await writer.drain();
    return handle.workflowId;
  }

  it('a closed run whose middle events were lost is found and made dense again, run.finished intact; a second pass changes nothing', async () => {
    const runId = await oneTurnConversation(FLOW_RUN_WORKFLOW);
    const whole = await events(runId);
    expect(whole.length).toBeGreaterThan(4);
    expect(whole.at(-1)).toMatchObject({ type: 'run.finished', data: { status: 'completed', outcome: 'resolved' } });
    // A lost entry: seq 2 and 3 gone, the rest (run.finished and the close) stored.
    await pool.query(`DELETE FROM run_events WHERE run_id = $1 AND seq IN (2, 3)`, [runId]);
    const r = await reconciler();

    // With the gap check off, nothing looks at it.
    expect(await r.reconcileRuns({ ...pass, runIds: [runId], gapWindowMs: 0 })).toMatchObject({ gapsFound: 0, gapsFilled: 0 });
    expect(await events(runId)).toHaveLength(whole.length - 2);

    expect(await r.reconcileRuns({ ...pass, runIds: [runId] })).toEqual({
      checked: 0,
      open: 0,
      closed: 0,
      finished: 0,
      errors: 0,
      rebuilt: 0,
      swept: 0,
      gapsFound: 1,
      gapsFilled: 1,
      childrenFound: 0,
      childrenRebuilt: 0,
    });
    expect(logs).toEqual([]);
    const filled = await events(runId);
    expect(shape(filled)).toEqual(shape(whole));
    expect(filled.map((e) => e.data)).toEqual(whole.map((e) => e.data));
    expect(await indexRow(runId)).toMatchObject({ status: 'completed', outcome: 'resolved' });

    const before = (await pool.query(`SELECT count(*)::int AS n, max(id) AS last FROM run_events WHERE run_id = $1`, [runId])).rows;
    expect(await (await reconciler()).reconcileRuns({ ...pass, runIds: [runId] })).toMatchObject({ gapsFound: 0, gapsFilled: 0, errors: 0 });
    expect((await pool.query(`SELECT count(*)::int AS n, max(id) AS last FROM run_events WHERE run_id = $1`, [runId])).rows).toEqual(before);
  });

  it('a subflow child whose entries (and so its close) were all lost has no row: the pass finds it through the parent’s subflow.started and creates it closed', async () => {
    const parent = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['sub', 'subflow', { flowId: childFlow, input: { name: '{{ input.name }}' } }],
        ['done', 'end', { outcome: 'completed' }],
        ['broken', 'end', { outcome: 'failed' }],
      ],
      [
        ['start', 'next', 'sub'],
        ['sub', 'completed', 'done'],
        ['sub', 'failed', 'broken'],
      ],
    );
    const handle = await env.client.workflow.start(FLOW_RUN_WORKFLOW, {
      taskQueue: queue,
      workflowId: uniqueId('run'),
      args: [{ flowId: randomUUID(), version: 1, definition: parent, input: { name: 'Ana' }, customerId: 'c-ana' }],
    });
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
    await writer.drain();
    const childId = `${handle.workflowId}.sub.sub.1`;
    const [started] = (await events(handle.workflowId)).filter((e) => e.type === 'subflow.started');
    expect(started.data).toEqual({ flowId: childFlow, version: 2, childRunId: childId });
    expect(await indexRow(handle.workflowId)).toMatchObject({ status: 'completed', outcome: 'completed' });
    // What the lost close left: no row, no events for the child.
    expect(await indexRow(childId)).toBeUndefined();
    expect(await events(childId)).toEqual([]);

    const r = await reconciler();
    expect(await r.reconcileRuns({ ...pass, runIds: [handle.workflowId] })).toMatchObject({
      errors: 0,
      gapsFound: 0,
      childrenFound: 1,
      childrenRebuilt: 1,
    });
    expect(logs).toEqual([]);
    const row = await indexRow(childId);
    expect(row).toMatchObject({ status: 'completed', outcome: 'enriched' });
    expect(row.closed_at).toBeInstanceOf(Date);
    const childEvents = await events(childId);
    expect(childEvents.map((e) => e.seq)).toEqual(childEvents.map((_, i) => i + 1));
    expect(childEvents[0].type).toBe('run.started');
    expect(childEvents.at(-1)).toMatchObject({ type: 'run.finished', data: { status: 'completed', outcome: 'enriched' } });
    expect(childEvents.map((e) => e.node_id)).toEqual(expect.arrayContaining(['set', 'end']));

    expect(await r.reconcileRuns({ ...pass, runIds: [handle.workflowId] })).toMatchObject({ childrenFound: 0, childrenRebuilt: 0 });
  });

  it('leaves a legacy (flowRunWorkflow) run with a hole alone, and looks at it once', async () => {
    const runId = await oneTurnConversation(LEGACY_FLOW_RUN_WORKFLOW);
    await pool.query(`DELETE FROM run_events WHERE run_id = $1 AND seq = 2`, [runId]);
    const before = await events(runId);
    const r = await reconciler();
    expect(await r.reconcileRuns({ ...pass, runIds: [runId] })).toMatchObject({ gapsFound: 1, gapsFilled: 0, errors: 0 });
    expect(await events(runId)).toEqual(before);
    // Legacy runs are skipped by design: no log line, and the same worker does not replay it again.
    expect(logs).toEqual([]);
    expect(await r.reconcileRuns({ ...pass, runIds: [runId] })).toMatchObject({ gapsFound: 0 });
  });

  it('a run terminated after a crash lost its last entries: the pass replays it before writing run.finished, which comes after every event', async () => {
    const handle = await env.client.workflow.start(FLOW_RUN_WORKFLOW, {
      taskQueue: queue,
      workflowId: uniqueId('run'),
      args: [{ flowId: randomUUID(), version: 1, definition: ONE_TURN_FLOW, input: {} }],
    });
    // The run goes to its first wait (the customer's reply); its events so far are written.
    let stored: EventRow[] = [];
    for (let i = 0; i < 100 && stored.length <= 2; i++) {
      await writer.drain();
      stored = await events(handle.workflowId);
      if (stored.length <= 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored.length).toBeGreaterThan(2);
    // The crash: the entries after the first two events never reached PostgreSQL; then the run is stopped from outside.
    await pool.query(`DELETE FROM run_events WHERE run_id = $1 AND seq > 2`, [handle.workflowId]);
    await pool.query(`INSERT INTO runs (run_id, flow_id, version, status) VALUES ($1, $2, 1, 'running') ON CONFLICT DO NOTHING`, [
      handle.workflowId,
      randomUUID(),
    ]);
    await handle.terminate('test: after a crash');

    expect(await (await reconciler()).reconcileRuns({ ...pass, runIds: [handle.workflowId] })).toMatchObject({ closed: 1, finished: 1, rebuilt: 1, errors: 0 });
    const after = await events(handle.workflowId);
    expect(shape(after.slice(0, -1))).toEqual(shape(stored.filter((e) => e.type !== 'run.finished')));
    expect(after.at(-1)).toMatchObject({ seq: after.length, type: 'run.finished', data: { status: 'terminated', outcome: 'terminated' } });
  });

  it('both queries read the (type, occurred_at) index of run_events, however many events the table holds', async () => {
    const bulk = randomUUID();
    await pool.query(
      `INSERT INTO run_events (run_id, flow_id, version, seq, type, data, occurred_at)
       SELECT 'bulk-' || (g / 10), $1, 1, g % 10 + 1, CASE WHEN g % 10 = 9 THEN 'run.finished' ELSE 'node.entered' END, '{}', now() - interval '2 hours'
         FROM generate_series(0, 49999) g`,
      [bulk],
    );
    try {
      await pool.query('ANALYZE run_events');
      for (const query of [runsWithGapsQuery, childrenWithoutRowQuery]) {
        const { text, values } = query({ windowMs: 10 * 60_000, graceMs: 60_000, limit: 200, skip: [] });
        const plan = (await pool.query(`EXPLAIN ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/run_events_type_time/);
        expect(plan).not.toMatch(/Seq Scan on run_events/);
      }
    } finally {
      await pool.query(`DELETE FROM run_events WHERE flow_id = $1`, [bulk]);
    }
  });
});
