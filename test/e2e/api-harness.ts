/* Shared by the API end-to-end suites (test/e2e/api-*.itest.ts): the real Nest API on a free port,
   optionally a real worker on a unique task queue, and keys of every role. */
import { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createApiApp } from '../../apps/api/app.factory';
import type { Role } from '../../apps/api/auth/roles';
import { createCauceWorker } from '../../apps/worker/worker';
import type { FlowDefinition, FlowEdge, FlowNode } from '../../workflows/language';
import { testInfra, uniqueId } from '../infra';

/**
 * A response body as the suites read it: untyped JSON, reached into freely; the assertion is the check.
 * A suite that wants a checked shape passes its own `T`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one deliberate `any` of the e2e harness
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export class ApiHarness {
  app!: INestApplication;
  base!: string;
  taskQueue = uniqueId('api');
  adminKey = `test-admin-${randomUUID()}`;
  keys = {} as Record<Role, string>;
  pool!: Pool;
  temporal!: Client;
  private workerHandle?: Awaited<ReturnType<typeof createCauceWorker>>;
  private workerRun?: Promise<void>;

  async setup(options: { worker: boolean }): Promise<this> {
    const { databaseUrl, temporalAddress } = testInfra();
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      CAUCE_ADMIN_KEY: this.adminKey,
      CAUCE_RATE_LIMIT: '1000',
    });
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
    // The global teardown stops PostgreSQL; an idle client must not crash the test process then.
    this.pool.on('error', () => undefined);
    this.temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    if (options.worker) {
      this.workerHandle = await createCauceWorker({ temporalAddress, namespace: 'default', taskQueue: this.taskQueue, databaseUrl });
      this.workerRun = this.workerHandle.worker.run();
    }
    this.app = await createApiApp({ logger: false });
    await this.app.listen(0, '127.0.0.1');
    this.base = `${await this.app.getUrl()}`.replace('[::1]', '127.0.0.1');
    this.keys.admin = this.adminKey;
    for (const role of ['editor', 'operator', 'system'] as const) {
      const res = await this.post('/api/api-keys', { name: `test ${role}`, role }, 'admin');
      if (res.status !== 201) throw new Error(`could not create a ${role} key: ${res.text}`);
      this.keys[role] = res.body.key;
    }
    return this;
  }

  /** Closes everything it opened, each step on its own so one failure does not leak the rest. */
  async teardown(): Promise<void> {
    const steps: (() => Promise<unknown> | undefined)[] = [
      () => this.app?.close(),
      async () => {
        if (!this.workerHandle) return;
        if (this.workerHandle.worker.getState() === 'RUNNING') this.workerHandle.worker.shutdown();
        await this.workerRun;
        await this.workerHandle.close();
      },
      () => this.temporal?.connection.close(),
      () => this.pool?.end(),
    ];
    for (const step of steps) await Promise.resolve(step()).catch((err) => console.error(`teardown: ${(err as Error).message}`));
  }

  async request<T = Json>(
    method: string,
    path: string,
    options: { key?: Role | string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const key = options.key === undefined ? 'admin' : options.key;
    if (key) headers.authorization = `Bearer ${(this.keys as Record<string, string>)[key] ?? key}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get = <T = Json>(path: string, key: Role | string | null = 'admin', headers?: Record<string, string>) => this.request<T>('GET', path, { key, headers });
  post = <T = Json>(path: string, body?: unknown, key: Role | string | null = 'admin', headers?: Record<string, string>) =>
    this.request<T>('POST', path, { key, body, headers });
  put = <T = Json>(path: string, body?: unknown, key: Role | string | null = 'admin') => this.request<T>('PUT', path, { key, body });
  del = <T = Json>(path: string, key: Role | string | null = 'admin') => this.request<T>('DELETE', path, { key });

  /** Creates and publishes a flow; returns its id. */
  async publishedFlow(name: string, definition: FlowDefinition): Promise<string> {
    const created = await this.post('/api/flows', { name, definition }, 'editor');
    if (created.status !== 201) throw new Error(`create failed: ${created.text}`);
    const published = await this.post(`/api/flows/${created.body.id}/publish`, undefined, 'editor');
    if (published.status !== 201) throw new Error(`publish failed: ${published.text}`);
    return created.body.id;
  }

  /** Polls until `check` returns a value (visibility and batched run events lag a little). */
  async eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A compact flow builder: nodes in order, edges as [source, branch, target]. */
export function flow(nodes: [string, string, Record<string, unknown>][], edges: [string, string, string][]): FlowDefinition {
  return {
    nodes: nodes.map(([id, type, data], i): FlowNode => ({ id, type, data, position: { x: 0, y: i * 100 } })),
    edges: edges.map(([source, sourceHandle, target]): FlowEdge => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target })),
  };
}
