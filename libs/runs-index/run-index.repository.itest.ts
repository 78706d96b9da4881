// The run index repository against a real PostgreSQL: the start protocol's claims on the unique
// open key, the worker's upsert, closing once, and the reconciler's idle pass.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { RunIndexRepository, type RunStartRow } from './run-index.repository';

describe('RunIndexRepository (real PostgreSQL)', () => {
  let pool: Pool;
  let repo: RunIndexRepository;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    repo = new RunIndexRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });

  const startRow = (extra: Partial<RunStartRow> = {}): RunStartRow => ({
    runId: uniqueId('run'),
    flowId: randomUUID(),
    version: 1,
    customerId: uniqueId('c'),
    startKey: null,
    test: false,
    trigger: 'api',
    startedBy: 'admin',
    ...extra,
  });

  it('claims a start key once while its run is open, and again once it is closed', async () => {
    const first = startRow({ startKey: 'k-1' });
    const claim = await repo.claimStart(first);
    expect(claim).toMatchObject({ runId: first.runId, startedAt: expect.any(Date), updatedAt: expect.any(String) });
    expect(await repo.claimStart({ ...startRow(), flowId: first.flowId, startKey: 'k-1' })).toBeNull();
    expect(await repo.findOpenByKey(first.flowId, 'k-1')).toMatchObject({ runId: first.runId, status: 'running', closedAt: null, trigger: 'api' });

    expect(await repo.close(first.runId, { status: 'completed', closedAt: new Date(), outcome: 'resolved' })).toBe(true);
    expect(await repo.close(first.runId, { status: 'terminated', closedAt: new Date(), outcome: 'terminated' })).toBe(false);
    expect(await repo.find(first.runId)).toMatchObject({ status: 'completed', outcome: 'resolved' });
    expect(await repo.findOpenByKey(first.flowId, 'k-1')).toBeNull();
    expect(await repo.claimStart({ ...startRow(), flowId: first.flowId, startKey: 'k-1' })).not.toBeNull();
  });

  it('lets a failed start delete only the row it still owns (an adopted row stays)', async () => {
    const row = startRow({ startKey: 'k-2' });
    const claim = (await repo.claimStart(row))!;
    const adopted = await repo.adoptStart(row.runId, { version: 2, customerId: 'c-adopter' });
    expect(adopted?.updatedAt).not.toBe(claim.updatedAt);
    await repo.releaseStart(claim); // stale: another start took the row over
    expect(await repo.find(row.runId)).toMatchObject({ version: 2, customerId: 'c-adopter' });
    await repo.releaseStart(adopted!);
    expect(await repo.find(row.runId)).toBeNull();
  });

  it('applies the worker’s index updates: inserts unknown runs, keeps an outcome and a close once set', async () => {
    const runId = uniqueId('run-sched');
    const flowId = randomUUID();
    await repo.applyIndexUpdate({ runId, flowId, version: 3, status: 'running', currentNode: 'ask' });
    expect(await repo.find(runId)).toMatchObject({ flowId, version: 3, status: 'running', closedAt: null });
    const closedAt = '2026-01-01T10:00:00.000Z';
    await repo.applyIndexUpdate({ runId, flowId, version: 3, status: 'completed', outcome: 'resolved', closedAt });
    await repo.applyIndexUpdate({ runId, flowId, version: 3, status: 'completed' });
    expect(await repo.find(runId)).toMatchObject({ status: 'completed', outcome: 'resolved', closedAt: new Date(closedAt) });
  });

  it('remembers the replies a start delivered, and finds rows by customer and by id', async () => {
    const customerId = uniqueId('c');
    const a = startRow({ customerId });
    const b = startRow({ customerId, flowId: a.flowId });
    const t = startRow({ customerId, test: true });
    for (const r of [a, b, t]) await repo.claimStart(r);
    const until = new Date('2026-01-01T10:00:01.500Z');
    await repo.recordRepliesDelivered(a.runId, until);
    expect((await repo.find(a.runId))?.repliesDeliveredUntil).toEqual(until);
    expect((await repo.openOfCustomer(customerId, 10)).map((r) => r.runId).sort()).toEqual([a.runId, b.runId].sort());
    expect((await repo.openOfFlowAndCustomer(a.flowId, customerId, 10)).length).toBe(2);
    expect((await repo.findMany([a.runId, t.runId, 'run-none'])).map((r) => r.runId).sort()).toEqual([a.runId, t.runId].sort());
    expect(await repo.findMany([])).toEqual([]);
  });

  it('hands the reconciler idle open rows, and a touch moves them out of the next pass', async () => {
    const row = startRow();
    await repo.claimStart(row);
    await pool.query(`UPDATE runs SET updated_at = now() - interval '10 minutes' WHERE run_id = $1`, [row.runId]);
    expect(await repo.idleOpen({ idleMs: 60_000, limit: 10, runIds: [row.runId] })).toEqual([{ runId: row.runId, startedAt: expect.any(Date) }]);
    await repo.touchOpen([row.runId]);
    expect(await repo.idleOpen({ idleMs: 60_000, limit: 10, runIds: [row.runId] })).toEqual([]);
  });
});
