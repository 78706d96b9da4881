// The run-event writer against a real PostgreSQL: a value jsonb or text refuses (NUL, a lone
// surrogate, a time it cannot read) never costs the rest of the batch.
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { createRunEventActivities, RunEvent, RunEventBatch } from './run-events.activities';
import { sanitizeJson, sanitizeText } from './sanitize';

describe('recordRunEvents (real PostgreSQL)', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  const stored = async (runId: string) =>
    (await pool.query(`SELECT seq, type, node_id, data, occurred_at FROM run_events WHERE run_id = $1 ORDER BY seq`, [runId])).rows as {
      seq: number;
      type: string;
      node_id: string | null;
      data: Record<string, unknown>;
      occurred_at: Date;
    }[];
  const batchOf = (events: RunEvent[], extra: Partial<RunEventBatch> = {}): RunEventBatch => ({
    runId: uniqueId('run'),
    flowId: randomUUID(),
    version: 1,
    customerId: 'c-1',
    events,
    ...extra,
  });
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

  it('the values PostgreSQL refuses really are refused (the premise of the sanitizer)', async () => {
    await expect(pool.query(`SELECT $1::jsonb`, [JSON.stringify({ t: 'a\u0000b' })])).rejects.toMatchObject({ code: '22P05' });
    await expect(pool.query(`SELECT $1::jsonb`, [JSON.stringify({ t: 'a\ud800' })])).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
  });

  it('keeps every event of a batch with a NUL in one event and a lone surrogate in another, sanitized', async () => {
    const batch = batchOf([
      { seq: 1, type: 'run.started', data: { trigger: 'api' }, at: at(0) },
      { seq: 2, type: 'message.in', nodeId: 'ask', data: { text: 'hi\u0000there', 'k\u0000ey': 1 }, at: at(1) },
      { seq: 3, type: 'message.out', nodeId: 'ask\u0000', data: { text: 'cortado \ud83d', emoji: 'ok 😀', nested: [{ deep: '\udc00x' }] }, at: at(2) },
      { seq: 4, type: 'run.finished', data: { status: 'completed', outcome: 'resolved' }, at: at(3) },
    ]);
    await expect(createRunEventActivities({ pool }).recordRunEvents(batch)).resolves.toBe(4);
    const rows = await stored(batch.runId);
    expect(rows.map((r) => [r.seq, r.type, r.node_id, r.data])).toEqual([
      [1, 'run.started', null, { trigger: 'api' }],
      [2, 'message.in', 'ask', { text: 'hithere', key: 1 }],
      [3, 'message.out', 'ask', { text: 'cortado \ufffd', emoji: 'ok 😀', nested: [{ deep: '\ufffdx' }] }],
      [4, 'run.finished', null, { status: 'completed', outcome: 'resolved' }],
    ]);
    // A re-sent batch (an activity retry) changes nothing.
    await expect(createRunEventActivities({ pool }).recordRunEvents(batch)).resolves.toBe(0);
    expect(await stored(batch.runId)).toHaveLength(4);
  });

  it('quarantines an event PostgreSQL still refuses and stores the rest of the batch', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const batch = batchOf([
      { seq: 1, type: 'run.started', data: {}, at: at(0) },
      { seq: 2, type: 'node.entered', nodeId: 'x', data: { a: 1 }, at: 'not a time' },
      { seq: 3, type: 'run.finished', data: { status: 'completed', outcome: 'resolved' }, at: at(5) },
    ]);
    await expect(createRunEventActivities({ pool }).recordRunEvents(batch)).resolves.toBe(3);
    const rows = await stored(batch.runId);
    expect(rows.map((r) => [r.seq, r.type])).toEqual([
      [1, 'run.started'],
      [2, 'node.entered'],
      [3, 'run.finished'],
    ]);
    expect(rows[1].data).toEqual({ quarantined: true, reason: expect.stringMatching(/invalid input syntax for type timestamp/) });
    expect(rows[1].node_id).toBe('x');
    expect(rows[2].data).toEqual({ status: 'completed', outcome: 'resolved' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${batch.runId} seq 2 (node.entered) quarantined`));
    warn.mockRestore();
  });

  it('fails without retry only when the batch itself is bad (a flow id that is not a UUID)', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const batch = batchOf([{ seq: 1, type: 'run.started', at: at(0) }], { flowId: 'not-a-uuid' });
    const err = await createRunEventActivities({ pool })
      .recordRunEvents(batch)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toMatch(/run events could not be stored/);
    warn.mockRestore();
  });
});

describe('sanitizeJson', () => {
  it('returns clean values untouched (no copy) and copies only when needed', () => {
    const clean = { a: [1, 'x', { b: null }], c: true };
    expect(sanitizeJson(clean)).toBe(clean);
    const dirty = { a: ['\u0000'], keep: { n: 1 } };
    const out = sanitizeJson(dirty);
    expect(out).toEqual({ a: [''], keep: { n: 1 } });
    expect(dirty.a[0]).toBe('\u0000');
  });

  it('keeps a __proto__ key a plain key and handles deep nesting without recursion', () => {
    const parsed = JSON.parse('{"__proto__": {"isVip": "\\u0000yes"}}');
    const out = sanitizeJson(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"isVip":"yes"}}');
    let deep: unknown = '\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(() => sanitizeJson(deep)).not.toThrow();
  });

  it('strips NUL and replaces lone surrogates, keeping pairs', () => {
    expect(sanitizeText('a\u0000b\ud800c\udc00😀')).toBe('ab\ufffdc\ufffd😀');
  });
});
