/* eslint-disable @typescript-eslint/no-explicit-any */
import { INestApplication } from '@nestjs/common';
import { Worker } from '@temporalio/worker';
import { testInfra, uniqueId } from '../../../test/infra';
import { createApiApp } from '../app.factory';

describe('GET /api/health (real PostgreSQL and Temporal)', () => {
  let app: INestApplication;
  let base: string;
  const taskQueue = uniqueId('health');

  beforeAll(async () => {
    const { databaseUrl, temporalAddress } = testInfra();
    Object.assign(process.env, { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}`.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports the database and Temporal up, and says no worker polls yet', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database).toMatchObject({ status: 'up', pendingMigrations: false });
    expect(body.checks.database.version).toMatch(/^\d+/);
    expect(body.checks.temporal).toMatchObject({ status: 'up', namespace: 'default' });
    expect(body.checks.worker).toMatchObject({ status: 'down' });
    expect(body.checks.worker.error).toContain(taskQueue);
  });

  it('sees a worker once one polls the task queue', async () => {
    const { NativeConnection } = await import('@temporalio/worker');
    const connection = await NativeConnection.connect({ address: testInfra().temporalAddress });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('../../../test/fixtures/record-events.workflow'),
      activities: {},
    });
    await worker.runUntil(async () => {
      let body: { checks: { worker: { status: string; pollers?: number } } } | undefined;
      for (let i = 0; i < 40; i++) {
        body = (await (await fetch(`${base}/api/health`)).json()) as typeof body;
        if (body!.checks.worker.status === 'up') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(body!.checks.worker).toMatchObject({ status: 'up', taskQueue });
      expect(body!.checks.worker.pollers).toBeGreaterThan(0);
    });
    await connection.close();
  });

  it('answers unknown routes with the API error shape', async () => {
    const res = await fetch(`${base}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nothing-here' });
  });

  it('serves the OpenAPI document', async () => {
    const doc: any = await (await fetch(`${base}/api/openapi.json`)).json();
    expect(doc.info.title).toBe('Cauce API');
    expect(doc.paths['/api/health']).toBeDefined();
  });
});
