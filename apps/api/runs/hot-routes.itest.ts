/* eslint-disable @typescript-eslint/no-explicit-any */
// The two routes of a conversation, start (POST /api/flows/:id/runs) and message (POST
// /api/runs/:id/messages), against the real API, worker, Temporal dev server and PostgreSQL: how
// many database round trips each costs once the flow is warm (start: the run row only; message:
// none), and that what the caches and the batched writes skip changes nothing a client sees: the
// opening messages are not repeated, a publish and an archive are seen at once, a scoped key stays
// scoped. A second API app in this process stands for another API process.
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { createApiApp } from '../app.factory';
import { PG_POOL } from '../database/pg-pool';
import { FlowsService } from '../flows/flows.service';
import { ApiHarness, flow } from '../../../test/e2e/api-harness';
import { RepliesDeliveredService } from './replies-delivered.service';
import { TurnTimingsService } from './turn-timings.service';

const chat = (greeting: string) =>
  flow(
    [
      ['start', 'start', { trigger: 'api' }],
      ['hi', 'message', { text: greeting }],
      ['ask', 'ask', { text: '¿Qué necesitas?', variable: 'said' }],
      ['end', 'end', { outcome: 'resolved', message: 'Gracias' }],
    ],
    [
      ['start', 'next', 'hi'],
      ['hi', 'next', 'ask'],
      ['ask', 'reply', 'end'],
    ],
  );

const texts = (body: any) => body.replies.map((r: any) => r.text);

describe('API hot routes: start and message', () => {
  const h = new ApiHarness();
  /** The SQL each call sent through the API's pool while `counting` ran (a checked-out client counts as `connect`). */
  let seen: string[] | null = null;
  let other: INestApplication;
  let otherBase: string;

  beforeAll(async () => {
    await h.setup({ worker: true });
    const pool = h.app.get<Pool>(PG_POOL);
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
    // pool.query checks a client out through pool.connect itself: that one is the query's, not another round trip.
    let inQuery = false;
    (pool as any).query = (...args: unknown[]) => {
      seen?.push(
        String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text)
          .replace(/\s+/g, ' ')
          .slice(0, 400),
      );
      inQuery = true;
      try {
        return query(...args);
      } finally {
        inQuery = false;
      }
    };
    (pool as any).connect = (...args: unknown[]) => {
      if (!inQuery) seen?.push('connect');
      return connect(...args);
    };
    // A loaded machine must not expire a head between the warm start and the counted one.
    h.app.get(FlowsService).versionCache.headTtlMs = 60_000;
    other = await createApiApp({ logger: false });
    await other.listen(0, '127.0.0.1');
    otherBase = `${await other.getUrl()}`.replace('[::1]', '127.0.0.1');
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await h.teardown();
  });

  /** Writes what the API batches (cutoffs, timings), so a background batch never lands inside a counted call. */
  async function flushBatches(app: INestApplication = h.app): Promise<void> {
    await app.get(RepliesDeliveredService).flush();
    await app.get(TurnTimingsService).flush();
  }

  /** The statements `call` sent; the batches waiting before it are written first, so none lands inside. */
  async function counting<T>(call: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
    await flushBatches();
    return countingOnly(call);
  }

  async function countingOnly<T>(call: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
    seen = [];
    try {
      const result = await call();
      return { result, queries: seen };
    } finally {
      seen = null;
    }
  }

  const start = (flowId: string, key: string = 'system') => h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-hot' }, key);
  const say = (runId: string, text: string) => h.post(`/api/runs/${runId}/messages`, { text }, 'system');
  const sayElsewhere = async (runId: string, text: string) => {
    const res = await fetch(`${otherBase}/api/runs/${runId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keys.system}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('a warm start costs one database round trip (its run row) and a message none', async () => {
    const flowId = await h.publishedFlow('Ida y vuelta', chat('Hola'));
    expect((await start(flowId)).status).toBe(201); // warms the flow's head and version

    const started = await counting(() => start(flowId));
    expect(started.result.status).toBe(201);
    expect(texts(started.result.body)).toEqual(['Hola', '¿Qué necesitas?']);
    expect(started.queries).toEqual([expect.stringMatching(/^INSERT INTO runs /)]);

    // What the start skipped lands in one statement for many starts: the opening's cutoff.
    const cutoff = await countingOnly(() => h.app.get(RepliesDeliveredService).flush());
    expect(cutoff.queries).toEqual([expect.stringMatching(/^WITH locked AS .*FOR UPDATE.*UPDATE runs SET replies_delivered_until/)]);

    const turn = await countingOnly(() => say(started.result.body.runId, 'una factura'));
    expect(turn.result.status).toBe(200);
    // The opening was returned by the start: the first turn answers only what came after.
    expect(texts(turn.result.body)).toEqual(['Gracias']);
    expect(turn.queries).toEqual([]);
    // And the turn's timing, likewise.
    const timing = await countingOnly(() => h.app.get(TurnTimingsService).flush());
    expect(timing.queries).toEqual([expect.stringMatching(/^INSERT INTO chat_turn_timings /)]);

    const { rows } = await h.pool.query(`SELECT replies_delivered_until FROM runs WHERE run_id = $1`, [started.result.body.runId]);
    expect(rows[0].replies_delivered_until).toEqual(new Date(started.result.body.replies[1].at));
    const timings = await h.pool.query(`SELECT count(*)::int AS n FROM chat_turn_timings WHERE run_id = $1`, [started.result.body.runId]);
    expect(timings.rows[0].n).toBe(1);
  });

  it('another API process leaves the opening out once the cutoff is written, and repeats it (never loses it) before', async () => {
    const flowId = await h.publishedFlow('Otro proceso', chat('Buenas'));
    const written = await start(flowId);
    await flushBatches();
    const turn = await sayElsewhere(written.body.runId, 'hola');
    expect(turn.status).toBe(200);
    expect(texts(turn.body)).toEqual(['Gracias']);

    // Within the second before the batch is written, another process does not know the cutoff yet.
    const early = await start(flowId);
    const earlyTurn = await sayElsewhere(early.body.runId, 'hola');
    expect(texts(earlyTurn.body)).toEqual(['Buenas', '¿Qué necesitas?', 'Gracias']);
  });

  it('a start of this process sees a new version at once, and an archived flow refuses it at once', async () => {
    const flowId = await h.publishedFlow('Versiones', chat('Primera'));
    expect((await start(flowId)).body.version).toBe(1);
    expect((await h.put(`/api/flows/${flowId}`, { name: 'Versiones', definition: chat('Segunda') }, 'editor')).status).toBe(200);
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'editor')).status).toBe(201);
    const second = await start(flowId);
    expect(second.body.version).toBe(2);
    expect(texts(second.body)[0]).toBe('Segunda');
    // An older version asked for by number still starts.
    const pinned = await h.post(`/api/flows/${flowId}/runs`, { version: 1 }, 'system');
    expect(pinned.status).toBe(201);
    expect(texts(pinned.body)[0]).toBe('Primera');
    expect((await h.post(`/api/flows/${flowId}/runs`, { version: 3 }, 'system')).status).toBe(404);

    expect((await h.post(`/api/flows/${flowId}/archive`, undefined, 'editor')).status).toBe(200);
    const refused = await start(flowId);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`Flow ${flowId} is archived: it starts no new runs`);
  });

  it('a key limited to other flows gets 404 for a warm flow, as for a cold one', async () => {
    const flowId = await h.publishedFlow('Con alcance', chat('Hola'));
    const mine = await h.publishedFlow('Mío', chat('Hola'));
    expect((await start(flowId)).status).toBe(201); // warm
    const scoped = (await h.post('/api/api-keys', { name: 'solo uno', role: 'system', flowIds: [mine] })).body.key;
    const refused = await start(flowId, scoped);
    expect(refused.status).toBe(404);
    expect(refused.body.message).toBe(`Flow ${flowId} not found`);
    expect((await start(mine, scoped)).status).toBe(201);
  });
});
