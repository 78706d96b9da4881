// The run-log writer against a real PostgreSQL: many runs per transaction, order, repeats, closes
// that never reopen, sanitizing and quarantine, and outages that lose nothing.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import type { Logger } from '../../libs/runtime/log';
import type { RunEventBatch, RunIndexUpdate } from '../../contracts/activities';
import type { RunLogEntry } from '../../contracts/run-log';
import { createRunLogWriter, RunLogWriter } from './run-log-writer';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

function capturingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

interface Run {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
}
const newRun = (extra: Partial<Run> = {}): Run => ({ runId: uniqueId('run'), flowId: randomUUID(), version: 1, customerId: 'c-1', ...extra });

/** An entry of `run` with events `from`..`to` (node.entered in between run.started and nothing else). */
function eventsOf(run: Run, from: number, to: number, events: Partial<RunEventBatch['events'][number]>[] = []): RunLogEntry {
  const list = [];
  for (let seq = from; seq <= to; seq++)
    list.push({ seq, type: seq === 1 ? 'run.started' : 'node.entered', nodeId: `n${seq}`, data: { i: seq }, at: at(seq), ...events[seq - from] });
  return { events: { ...run, events: list } };
}
const closeOf = (run: Run, extra: Partial<RunIndexUpdate> = {}): RunIndexUpdate => ({
  ...run,
  status: 'completed',
  outcome: 'resolved',
  startedAt: at(0),
  closedAt: at(30),
  ...extra,
});

describe('createRunLogWriter (real PostgreSQL)', () => {
  let pool: Pool;
  let writer: RunLogWriter | undefined;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 3 });
    pool.on('error', () => undefined);
  });
  afterEach(async () => {
    await writer?.close({ timeoutMs: 5_000 }).catch(() => undefined);
    writer = undefined;
  });
  afterAll(async () => {
    await pool?.end();
  });

  const events = async (runId: string) =>
    (await pool.query(`SELECT seq, type, node_id, customer_id, data FROM run_events WHERE run_id = $1 ORDER BY id`, [runId])).rows as {
      seq: number;
      type: string;
      node_id: string | null;
      customer_id: string | null;
      data: Record<string, unknown>;
    }[];
  const row = async (runId: string) =>
    (await pool.query(`SELECT status, outcome, closed_at, updated_at::text AS updated_at FROM runs WHERE run_id = $1`, [runId])).rows[0] as
      { status: string; outcome: string | null; closed_at: Date | null; updated_at: string } | undefined;

  it('writes the entries of many runs in a few transactions, each run in order, and a repeat writes nothing', async () => {
    const log = capturingLog();
    writer = createRunLogWriter({ pool, log });
    const runs = Array.from({ length: 60 }, () => newRun());
    // As a busy worker's sink dispatcher calls it: three entries per run, interleaved across runs.
    const entries = runs.flatMap((r) => [eventsOf(r, 1, 3), eventsOf(r, 4, 6), { ...eventsOf(r, 7, 7), close: closeOf(r) }]);
    for (const i of [0, 1, 2]) for (let r = 0; r < runs.length; r++) writer.record(entries[r * 3 + i]);
    await writer.drain();

    const s = writer.stats();
    expect(s).toMatchObject({ entries: 180, events: 420, closes: 60, queuedEntries: 0, queuedEvents: 0, failures: 0, fallbacks: 0 });
    // Group commit: the first flush takes what is queued once a connection is at hand.
    expect(s.flushes).toBeLessThanOrEqual(3);
    for (const r of [runs[0], runs[31], runs[59]]) {
      expect((await events(r.runId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await row(r.runId)).toMatchObject({ status: 'completed', outcome: 'resolved', closed_at: new Date(at(30)) });
    }

    const before = await row(runs[0].runId);
    for (const e of entries) writer.record(e);
    await writer.drain();
    expect(writer.stats()).toMatchObject({ entries: 360, events: 420, closes: 60 });
    expect(await row(runs[0].runId)).toEqual(before);
    expect(log.lines).toEqual([]);
  });

  it('lets run events linger so one statement writes many runs; a close or a drain does not wait', async () => {
    const statements: string[] = [];
    const counting = {
      query: (...args: unknown[]) => {
        statements.push(String((args[0] as { text?: string }).text ?? args[0]));
        return (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      },
      connect: () => pool.connect(),
    } as unknown as Pool;
    writer = createRunLogWriter({ pool: counting, lingerMs: 1_000 });
    const runs = Array.from({ length: 8 }, () => newRun());
    for (const r of runs.slice(0, 4)) writer.record(eventsOf(r, 1, 2));
    await new Promise((r) => setTimeout(r, 100));
    for (const r of runs.slice(4)) writer.record(eventsOf(r, 1, 2));
    expect(writer.stats()).toMatchObject({ flushes: 0, queuedEntries: 8 });
    for (let i = 0; i < 150 && writer.stats().flushes === 0; i++) await new Promise((r) => setTimeout(r, 20));
    // Written without a drain once the first entry's linger was over: all eight in one statement, no BEGIN or COMMIT.
    expect(writer.stats()).toMatchObject({ flushes: 1, entries: 8, events: 16, queuedEntries: 0 });
    expect(statements).toEqual([expect.stringMatching(/^WITH w0 AS \(INSERT INTO run_events/)]);

    // A close goes at once and takes the events lingering before it.
    const waiting = newRun();
    const closing = newRun();
    writer.record(eventsOf(waiting, 1, 1));
    const t0 = performance.now();
    writer.record({ ...eventsOf(closing, 1, 2), close: closeOf(closing) });
    for (let i = 0; i < 150 && writer.stats().flushes === 1; i++) await new Promise((r) => setTimeout(r, 5));
    expect(performance.now() - t0).toBeLessThan(800);
    expect(writer.stats()).toMatchObject({ flushes: 2, entries: 10, events: 19, closes: 1 });
    expect(statements[1]).toMatch(/^WITH w0 AS \(INSERT INTO run_events[\s\S]*w1 AS \(INSERT INTO runs/);
    expect(await row(closing.runId)).toMatchObject({ status: 'completed', outcome: 'resolved' });
    expect(await events(waiting.runId)).toHaveLength(1);

    const late = newRun();
    writer.record(eventsOf(late, 1, 1));
    const t1 = performance.now();
    await writer.drain();
    expect(performance.now() - t1).toBeLessThan(800);
    expect(await events(late.runId)).toHaveLength(1);
  });

  it('keeps the recording order of one run across flushes (one flush in flight)', async () => {
    writer = createRunLogWriter({ pool, maxBatchEntries: 1 });
    const run = newRun();
    for (let i = 0; i < 5; i++) writer.record(eventsOf(run, i * 2 + 1, i * 2 + 2));
    await writer.drain();
    expect(writer.stats().flushes).toBe(5);
    // Ordered by the table's serial id, i.e. by commit.
    expect((await events(run.runId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('creates or closes runs rows, and never reopens or re-closes a closed one', async () => {
    writer = createRunLogWriter({ pool });
    const scheduled = newRun();
    const started = newRun();
    await pool.query(`INSERT INTO runs (run_id, flow_id, version, customer_id, status, trigger) VALUES ($1, $2, 1, 'c-1', 'running', 'api')`, [
      started.runId,
      started.flowId,
    ]);
    writer.record({ close: closeOf(scheduled, { outcome: undefined }) });
    writer.record({ close: closeOf(started, { status: 'failed', outcome: 'error' }) });
    await writer.drain();
    expect(await row(scheduled.runId)).toMatchObject({ status: 'completed', outcome: null, closed_at: new Date(at(30)) });
    expect(await row(started.runId)).toMatchObject({ status: 'failed', outcome: 'error', closed_at: new Date(at(30)) });

    const closedStarted = await row(started.runId);
    // A late "running" update and a second close with another status: neither moves a closed row.
    writer.record({ close: { ...started, status: 'running', currentNode: 'ask' } });
    writer.record({ close: closeOf(started, { status: 'cancelled', outcome: undefined, closedAt: at(50) }) });
    await writer.drain();
    expect(await row(started.runId)).toEqual(closedStarted);

    // Only a new outcome is taken (the workflow's own outcome wins over a reconciled close without one).
    writer.record({ close: closeOf(scheduled, { status: 'failed', outcome: 'converted', closedAt: at(59) }) });
    await writer.drain();
    expect(await row(scheduled.runId)).toMatchObject({ status: 'completed', outcome: 'converted', closed_at: new Date(at(30)) });
  });

  it('sanitizes NUL and lone surrogates in events, the customer id and the close', async () => {
    writer = createRunLogWriter({ pool });
    const run = newRun({ customerId: 'c\u0000-2' });
    writer.record({
      ...eventsOf(run, 1, 2, [{}, { type: 'message.in\u0000', nodeId: 'ask\u0000', data: { text: 'hi\u0000 \ud83d', 'k\u0000': [{ d: '\udc00x' }] } }]),
      close: closeOf(run, { outcome: 'ok\u0000\ud800' }),
    });
    await writer.drain();
    const rows = await events(run.runId);
    expect(rows[1]).toEqual({ seq: 2, type: 'message.in', node_id: 'ask', customer_id: 'c-2', data: { text: 'hi \ufffd', k: [{ d: '\ufffdx' }] } });
    expect(await row(run.runId)).toMatchObject({ outcome: 'ok\ufffd' });
    expect(writer.stats().fallbacks).toBe(0);
  });

  it('a value PostgreSQL refuses costs only that event (quarantined), and a run with a bad flow id only its own entry', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = capturingLog();
    writer = createRunLogWriter({ pool, log });
    const good = newRun();
    const badTime = newRun();
    const badFlow = newRun({ flowId: 'not-a-uuid' });
    const after = newRun();
    // Recorded in one go, so they share one flush.
    writer.record({ ...eventsOf(good, 1, 3), close: closeOf(good) });
    writer.record({ ...eventsOf(badTime, 1, 3, [{}, { at: 'not a time' }]), close: closeOf(badTime) });
    writer.record(eventsOf(badFlow, 1, 2));
    writer.record({ ...eventsOf(after, 1, 2), close: closeOf(after, { closedAt: 'never' }) });
    await writer.drain();
    expect(writer.stats()).toMatchObject({ flushes: 1, fallbacks: 1 });

    expect((await events(good.runId)).map((e) => e.seq)).toEqual([1, 2, 3]);
    const refused = await events(badTime.runId);
    expect(refused.map((e) => [e.seq, e.type])).toEqual([
      [1, 'run.started'],
      [2, 'node.entered'],
      [3, 'node.entered'],
    ]);
    expect(refused[1].data).toEqual({ quarantined: true, reason: expect.stringMatching(/timestamp/) });
    expect(refused[2].data).toEqual({ i: 3 });
    expect(await row(badTime.runId)).toMatchObject({ status: 'completed' });
    expect(await events(badFlow.runId)).toEqual([]);
    expect((await events(after.runId)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await row(after.runId)).toBeUndefined();
    expect(writer.stats()).toMatchObject({ dropped: 3, queuedEntries: 0 });
    expect(log.lines).toEqual([
      expect.stringMatching(new RegExp(`^error ${badFlow.runId}: 2 run events not stored`)),
      expect.stringMatching(new RegExp(`^error ${after.runId}: its close \\(completed\\) not stored`)),
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${badTime.runId} seq 2 (node.entered) quarantined`));
    warn.mockRestore();
  });

  it('keeps every entry while connections fail, retries with backoff, logs the outage once', async () => {
    const log = capturingLog();
    let refusals = 4;
    const flaky = {
      query: (...args: Parameters<Pool['query']>) =>
        refusals-- > 0
          ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
          : (pool.query as (...a: unknown[]) => Promise<unknown>)(...args),
      connect: () => pool.connect(),
    } as unknown as Pool;
    writer = createRunLogWriter({ pool: flaky, log, retry: { initialMs: 10, maxMs: 40 } });
    const runs = Array.from({ length: 5 }, () => newRun());
    for (const r of runs) writer.record({ ...eventsOf(r, 1, 4), close: closeOf(r) });
    expect(writer.stats()).toMatchObject({ queuedEntries: 5, queuedEvents: 20 });
    await writer.drain();
    expect(writer.stats()).toMatchObject({ failures: 4, entries: 5, events: 20, closes: 5, queuedEntries: 0 });
    for (const r of runs) expect(await events(r.runId)).toHaveLength(4);
    expect(log.lines).toEqual([
      expect.stringMatching(/^warn cannot write to PostgreSQL \(connect ECONNREFUSED .*\); keeping 5 entries and retrying$/),
      expect.stringMatching(/^info writing again after \d+ ms and 4 failed attempts$/),
    ]);
  });

  it('a connection killed in the middle of a flush loses nothing: the same entries are written again', async () => {
    const app = `run-log-test-${randomUUID().slice(0, 8)}`;
    const own = new Pool({ connectionString: testInfra().databaseUrl, max: 2, application_name: app });
    own.on('error', () => undefined);
    const log = capturingLog();
    const w = createRunLogWriter({ pool: own, log, retry: { initialMs: 10 } });
    const blocked = newRun();
    const others = Array.from({ length: 3 }, () => newRun());
    await pool.query(`INSERT INTO runs (run_id, flow_id, version, status) VALUES ($1, $2, 1, 'running')`, [blocked.runId, blocked.flowId]);
    // Another transaction holds the row the flush must close, so the flush waits inside its transaction.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM runs WHERE run_id = $1 FOR UPDATE`, [blocked.runId]);
      for (const r of others) w.record(eventsOf(r, 1, 3));
      w.record({ ...eventsOf(blocked, 1, 3), close: closeOf(blocked) });
      let pid: number | undefined;
      for (let i = 0; i < 200 && pid === undefined; i++) {
        const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [app]);
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 25));
      }
      expect(pid).toBeDefined();
      await pool.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await w.drain();
    expect(w.stats().failures).toBeGreaterThanOrEqual(1);
    for (const r of [...others, blocked]) expect((await events(r.runId)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await row(blocked.runId)).toMatchObject({ status: 'completed', outcome: 'resolved' });
    expect(log.lines[0]).toMatch(/^warn cannot write to PostgreSQL \(terminating connection due to administrator command\)/);
    await w.close();
    await own.end();
  });

  it('drain rejects once closed; close with a deadline gives up on an outage, saying what is not written', async () => {
    const log = capturingLog();
    const down = {
      query: () => Promise.reject(new Error('connection refused')),
      connect: () => Promise.reject(new Error('connection refused')),
    } as unknown as Pool;
    const w = createRunLogWriter({ pool: down, log, retry: { initialMs: 10, maxMs: 20 } });
    w.record(eventsOf(newRun(), 1, 5));
    const draining = w.drain().then(
      () => 'drained',
      (err: Error) => err.message,
    );
    await expect(w.close({ timeoutMs: 150 })).rejects.toThrow(/closed with 1 entries \(5 events\) not written after 150 ms/);
    expect(await draining).toMatch(/not written/);
    await expect(w.drain()).rejects.toThrow(/closed/);
    w.record(eventsOf(newRun(), 1, 1));
    expect(log.lines.at(-1)).toMatch(/^error recorded after close, not written: run-.* \(1 events\)/);
  });

  it('never throws into the sink dispatcher on a malformed entry', async () => {
    const log = capturingLog();
    writer = createRunLogWriter({ pool, log });
    expect(() => writer!.record({ events: { runId: 'r' } as unknown as RunEventBatch })).not.toThrow();
    expect(() => writer!.record(null as unknown as RunLogEntry)).not.toThrow();
    await writer.drain();
    expect(writer.stats().queuedEntries).toBe(0);
    expect(log.lines).toEqual([expect.stringMatching(/malformed entry/), expect.stringMatching(/malformed entry/)]);
  });
});
