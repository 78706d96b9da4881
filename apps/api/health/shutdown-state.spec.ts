import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { ShutdownState } from './shutdown-state';

/** The drain on a real HTTP server: what is in flight finishes, what comes after is refused. */
describe('ShutdownState', () => {
  let server: Server;
  let base: string;
  let state: ShutdownState;
  let releaseSlow: () => void;

  beforeEach(async () => {
    state = new ShutdownState();
    const app = express();
    app.use(state.middleware('/api/health'));
    app.get('/api/slow', async (_req, res) => {
      await new Promise<void>((resolve) => (releaseSlow = resolve));
      res.json({ done: true });
    });
    app.get('/api/health', (_req, res) => res.status(state.draining ? 503 : 200).json({ status: state.draining ? 'stopping' : 'ok' }));
    app.get('/api/other', (_req, res) => res.json({ ok: true }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  const untilInFlight = async (n: number) => {
    for (let i = 0; i < 100 && state.inFlightCount !== n; i++) await new Promise((r) => setTimeout(r, 20));
  };

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('lets a request in flight finish, refuses new ones with 503 and Retry-After, and keeps health answering', async () => {
    const slow = fetch(`${base}/api/slow`);
    await untilInFlight(1);
    expect(state.inFlightCount).toBe(1);

    let drained: number | undefined;
    const draining = state.drain(5_000).then((left) => (drained = left));
    const refused = await fetch(`${base}/api/other`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('connection')).toBe('close');
    expect(await refused.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The API is stopping; retry in a moment' });
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'stopping' });
    expect(drained).toBeUndefined();

    releaseSlow();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ done: true });
    // The finished response told its keep-alive connection to close.
    expect(answer.headers.get('connection')).toBe('close');
    await draining;
    expect(drained).toBe(0);
  });

  it('gives up after the timeout and says how many requests were still running', async () => {
    void fetch(`${base}/api/slow`).catch(() => undefined);
    await untilInFlight(1);
    const started = Date.now();
    expect(await state.drain(300)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    releaseSlow();
  });

  it('drains at once when nothing is in flight', async () => {
    expect(await state.drain(10_000)).toBe(0);
  });
});
