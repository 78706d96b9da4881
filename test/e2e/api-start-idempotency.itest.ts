/* eslint-disable @typescript-eslint/no-explicit-any */
// A start with a key is idempotent end to end, against the real API, worker, Temporal dev server and
// PostgreSQL: racing starts make one workflow; a start whose answer Temporal lost (the server
// started the workflow, the API never heard) or that never reached Temporal answers 503 with
// Retry-After, keeps its index row, and a retry with the same key gets that same run, never a second.
// Temporal's faults are injected into the API's own gRPC service object (the worker and the test's
// client have connections of their own), so everything else is the real thing.
import { Metadata } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import { TEMPORAL_CLIENT } from '../../apps/api/temporal/temporal.module';
import { ApiHarness, flow } from './api-harness';

const chat = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola, ¿en qué te ayudo?' }],
    ['ask', 'ask', { text: 'Cuéntame', variable: 'said' }],
    ['end', 'end', { outcome: 'resolved', message: 'Gracias' }],
  ],
  [
    ['start', 'next', 'hi'],
    ['hi', 'next', 'ask'],
    ['ask', 'reply', 'end'],
  ],
);

/** A gRPC failure as @grpc/grpc-js reports it (the SDK recognises it by `details` and `metadata`). */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

describe('API: idempotent starts by key', () => {
  const h = new ApiHarness();
  let api: Client;
  const restore: (() => void)[] = [];
  beforeAll(async () => {
    await h.setup({ worker: true });
    api = h.app.get(TEMPORAL_CLIENT);
  }, 90_000);
  afterEach(() => restore.splice(0).forEach((undo) => undo()));
  afterAll(() => h.teardown());

  /** Replaces one method of the API's Temporal service; `afterEach` puts the real one back. */
  function intercept(method: 'executeMultiOperation' | 'describeWorkflowExecution', fake: (real: (req: any) => Promise<any>, req: any) => Promise<any>) {
    const service = api.workflowService as any;
    const real = service[method];
    service[method] = (req: any) => fake(real.bind(service), req);
    restore.push(() => (service[method] = real));
  }

  /** Every workflow execution of a flow, by its search attribute: what "exactly one run" is checked against. */
  async function executionsOf(flowId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const e of h.temporal.workflow.list({ query: `CauceFlowId = '${flowId}'` })) ids.push(e.workflowId);
    return ids;
  }

  const start = (flowId: string, key: string) => h.post(`/api/flows/${flowId}/runs`, { key, customerId: 'c-1' }, 'system');

  it('gives racing starts with one key one run id and exactly one workflow execution', async () => {
    const flowId = await h.publishedFlow('Carrera de claves', chat);
    for (const key of ['race-1', 'race-2', 'race-3']) {
      const racing = await Promise.all(Array.from({ length: 8 }, () => start(flowId, key)));
      expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(racing.map((r) => r.body.runId)).size).toBe(1);
      expect(racing.filter((r) => r.body.created)).toHaveLength(1);
      // The one that created it has the opening message.
      expect(racing.find((r) => r.body.created)!.body.replies.map((m: any) => m.text)).toEqual(['Hola, ¿en qué te ayudo?', 'Cuéntame']);
    }
    const ids = await h.eventually(async () => {
      const found = await executionsOf(flowId);
      return found.length >= 3 && found;
    });
    expect(ids).toHaveLength(3);
    const { rows } = await h.pool.query(`SELECT start_key, count(*)::int AS n FROM runs WHERE flow_id = $1 GROUP BY start_key ORDER BY start_key`, [flowId]);
    expect(rows).toEqual([
      { start_key: 'race-1', n: 1 },
      { start_key: 'race-2', n: 1 },
      { start_key: 'race-3', n: 1 },
    ]);
  }, 60_000);

  it('answers 503 with Retry-After when Temporal started the run but its answer was lost, and the retry gets that run', async () => {
    const flowId = await h.publishedFlow('Respuesta perdida', chat);
    // The server starts the workflow, then the answer is lost; the follow-up describe fails too.
    let describes = 0;
    intercept('executeMultiOperation', async (real, req) => {
      await real(req);
      throw grpcError(DEADLINE_EXCEEDED, 'simulated: the answer never arrived');
    });
    intercept('describeWorkflowExecution', async (real, req) => {
      if (describes++ === 0) throw grpcError(UNAVAILABLE, 'simulated: Temporal unreachable');
      return real(req);
    });
    const first = await start(flowId, 'lost-answer');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(first.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(first.body.message).toContain('retry with the same key');
    const runId = first.body.details.runId;
    expect(runId).toMatch(/^run-/);
    // The row stays: the workflow exists.
    const row = await h.pool.query(`SELECT run_id, closed_at FROM runs WHERE flow_id = $1`, [flowId]);
    expect(row.rows).toEqual([{ run_id: runId, closed_at: null }]);

    // Temporal answers again: the retry finds the run the first start made.
    restore.splice(0).forEach((undo) => undo());
    const retry = await start(flowId, 'lost-answer');
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ runId, created: false });
    expect(await h.eventually(async () => (await executionsOf(flowId)).length === 1)).toBe(true);
    // And the run is the customer's conversation.
    const turn = await h.post(`/api/runs/${runId}/messages`, { text: 'hola', id: 'm-1' }, 'system');
    expect(turn.status).toBe(200);
    expect(turn.body.replies.map((m: any) => m.text)).toContain('Gracias');
  }, 60_000);

  it('keeps the row of a start that never reached Temporal, so the retry starts that same run id', async () => {
    const flowId = await h.publishedFlow('Sin respuesta', chat);
    intercept('executeMultiOperation', async () => {
      throw grpcError(UNAVAILABLE, 'simulated: connection refused');
    });
    const first = await start(flowId, 'never-reached');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    const runId = first.body.details.runId;
    expect(await executionsOf(flowId)).toEqual([]);

    restore.splice(0).forEach((undo) => undo());
    // Two clients retry at once: one takes the row over and creates the run, the other finds it.
    const retries = await Promise.all([start(flowId, 'never-reached'), start(flowId, 'never-reached')]);
    if (retries.some((r) => !r.body.runId)) throw new Error(JSON.stringify(retries.map((r) => [r.status, r.body])));
    expect(retries.map((r) => r.body.runId)).toEqual([runId, runId]);
    expect(retries.filter((r) => r.body.created)).toHaveLength(1);
    expect(retries.find((r) => r.body.created)!.status).toBe(201);
    expect(
      await h.eventually(async () => {
        const ids = await executionsOf(flowId);
        return ids.length === 1 && ids;
      }),
    ).toEqual([runId]);
    const rows = await h.pool.query(`SELECT run_id FROM runs WHERE flow_id = $1`, [flowId]);
    expect(rows.rows).toEqual([{ run_id: runId }]);
  }, 60_000);

  it('deletes the row of a start Temporal refused outright, so the key is free again', async () => {
    const flowId = await h.publishedFlow('Rechazado', chat);
    let calls = 0;
    intercept('executeMultiOperation', async (real, req) => {
      if (calls++ === 0) throw grpcError(3, 'simulated: invalid argument');
      return real(req);
    });
    const first = await start(flowId, 'refused');
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(first.status).not.toBe(503);
    expect((await h.pool.query(`SELECT 1 FROM runs WHERE flow_id = $1`, [flowId])).rowCount).toBe(0);
    const retry = await start(flowId, 'refused');
    expect(retry.status).toBe(201);
    expect(retry.body.created).toBe(true);
  }, 60_000);

  it('never runs a run id twice: a retry that takes over a row whose run already ended finds it instead', async () => {
    const flowId = await h.publishedFlow('Terminado', chat);
    const first = await start(flowId, 'ended');
    expect(first.status).toBe(201);
    const runId = first.body.runId;
    await h.post(`/api/runs/${runId}/messages`, { text: 'adiós', id: 'm-1' }, 'system');
    await h.eventually(async () => (await h.pool.query(`SELECT 1 FROM runs WHERE run_id = $1 AND closed_at IS NOT NULL`, [runId])).rowCount === 1);
    // The race REJECT_DUPLICATE closes: the row still open, and Temporal's describe (on a lagging
    // node) not finding the run, so the retry takes the row over and starts its id again.
    await h.pool.query(`UPDATE runs SET closed_at = NULL, status = 'running' WHERE run_id = $1`, [runId]);
    let describes = 0;
    intercept('describeWorkflowExecution', async (real, req) => {
      if (describes++ === 0) throw grpcError(5, 'simulated: workflow not found');
      return real(req);
    });
    const retry = await start(flowId, 'ended');
    expect(retry.body).toMatchObject({ runId, created: false });
    const executions: string[] = [];
    for await (const e of h.temporal.workflow.list({ query: `WorkflowId = '${runId}'` })) executions.push(e.runId);
    expect(executions).toHaveLength(1);

    // With the row closed, the key starts a new run with a new id.
    restore.splice(0).forEach((undo) => undo());
    await h.pool.query(`UPDATE runs SET closed_at = now(), status = 'completed' WHERE run_id = $1`, [runId]);
    const again = await start(flowId, 'ended');
    expect(again.status).toBe(201);
    expect(again.body.runId).not.toBe(runId);
  }, 60_000);
});
