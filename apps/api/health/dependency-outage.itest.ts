/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { runMigrations } from '../../../libs/db/data-source';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../../../libs/runtime/postgres';
import { startTemporalDevServer, TemporalDevServer } from '../../../libs/runtime/temporal-server';
import { testInfra, uniqueId } from '../../../test/infra';
import { createApiApp } from '../app.factory';

/**
 * The API while PostgreSQL or Temporal is down: 503 with Retry-After and a message naming the
 * dependency (never a bare 500), health not ready, and both recover by themselves once the server is
 * back on the same port. Each server here is this test's own, stopped and started again for real.
 */
describe('the API during a PostgreSQL or Temporal outage (real servers stopped and restarted)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-outage-'));
  const adminKey = `test-admin-${randomUUID()}`;
  let postgres: EmbeddedPostgres;
  let temporal: TemporalDevServer;
  let app: INestApplication;
  let base: string;

  const startPostgres = (port?: number) => startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port, unsafeFast: true });
  const startTemporal = (ports?: TemporalDevServer['ports']) =>
    startTemporalDevServer({
      cliPath: testInfra().temporalCli,
      dataDir: path.join(root, 'temporal'),
      ui: false,
      ...(ports ? { port: ports.grpc, httpPort: ports.http, metricsPort: ports.metrics } : {}),
    });

  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  };
  const eventually = async <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    [postgres, temporal] = await Promise.all([startPostgres(), startTemporal()]);
    await runMigrations(postgres.url);
    Object.assign(process.env, {
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: uniqueId('outage'),
      CAUCE_ADMIN_KEY: adminKey,
    });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}`.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await Promise.all([postgres?.stop(), temporal?.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After naming the database while PostgreSQL is down, and recovers by itself', async () => {
    expect((await call('GET', '/api/flows')).status).toBe(200);

    await postgres.stop();
    for (const [method, route, body] of [
      ['GET', '/api/flows'],
      ['POST', '/api/flows', { name: 'Durante la caída', definition: { nodes: [], edges: [] } }],
    ] as const) {
      const res = await call(method, route, body);
      expect({ route: `${method} ${route}`, status: res.status }).toEqual({ route: `${method} ${route}`, status: 503 });
      expect(res.retryAfter).toMatch(/^\d+$/);
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('database') });
    }
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.retryAfter).toMatch(/^\d+$/);
    expect(health.body.checks.database.status).toBe('down');

    postgres = await startPostgres(postgres.port);
    await eventually('the API to read flows again', async () => (await call('GET', '/api/flows')).status === 200);
    expect((await call('GET', '/api/health')).body.checks.database.status).toBe('up');
    const created = await call('POST', '/api/flows', { name: 'Después de la caída', definition: { nodes: [], edges: [] } });
    expect(created.status).toBe(201);
  });

  it('answers 503 with Retry-After naming Temporal while Temporal is down, and recovers by itself', async () => {
    const health = await call('GET', '/api/health');
    expect(health.body.checks.temporal.status).toBe('up');
    const ports = temporal.ports;
    // A crash, as the fault suite does it: the server gets no chance to say goodbye to its clients.
    process.kill(temporal.pid!, 'SIGKILL');
    await temporal.exited;

    const down = await call('GET', '/api/health');
    expect(down.status).toBe(503);
    expect(down.retryAfter).toMatch(/^\d+$/);
    expect(down.body.checks.temporal.status).toBe('down');
    expect(down.body.checks.database.status).toBe('up');
    // Listing runs reads Temporal's visibility store. The client gives up after ~2 s of retries
    // (temporal.module.ts), not the SDK's default ~18 s.
    const asked = Date.now();
    const runs = await call('GET', '/api/runs');
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(runs.status).toBe(503);
    expect(runs.retryAfter).toMatch(/^\d+$/);
    expect(runs.body.message).toMatch(/Temporal/);

    temporal = await startTemporal(ports);
    await eventually('Temporal healthy again', async () => (await call('GET', '/api/health')).status === 200);
    expect((await call('GET', '/api/runs')).status).toBe(200);
  });
});
