/**
 * What the API benchmarks share: argument parsing, a small keep-alive HTTP client for loopback, the
 * stack under test (in-process, or a running `npm start`), and CPU accounting of the stack's processes.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';

// ---- arguments --------------------------------------------------------------------------------
export function arg(name: string, fallback: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`--${name} must be an integer between 0 and ${max}`);
  return value;
}
export const flag = (name: string) => process.argv.includes(`--${name}`);
export const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** The command line that produced this output, as it would be typed from the repository root. */
export function commandLine(): string {
  const script = path.relative(process.cwd(), process.argv[1] ?? '') || process.argv[1];
  return ['node', script, ...process.argv.slice(2)].join(' ');
}

/** The machine, for the header: cores, CPU model, load average, Node version. */
export function machine(): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), load average ${load}, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

// ---- a small keep-alive HTTP client -----------------------------------------------------------
export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(base: string, sockets: number) {
    this.url = new URL(base);
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(this.url.hostname)) {
      throw new Error(`refusing to load ${base}: the benchmark only talks to loopback addresses`);
    }
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  request(method: string, pathname: string, key: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port,
          method,
          path: pathname,
          headers: {
            authorization: `Bearer ${key}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // metrics are text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${pathname} timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function must(r: Reply, status: number, what: string) {
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
  return r.body;
}

// ---- the stack --------------------------------------------------------------------------------
export interface Stack {
  apiUrl: string;
  adminKey: string;
  describe: string;
  /** In-process stacks only: the processes whose CPU time the benchmark can account for. */
  inProcess: boolean;
  /** In-process stacks only: Cauce's worker, whose settings bench/floor.ts gives the floor's worker. */
  worker?: Worker;
  stop(): Promise<void>;
}

/** A running `npm start`, through $CAUCE_DATA_DIR/run/stack.json. */
export function runningStack(): Stack {
  const dataDir = path.resolve(process.env.CAUCE_DATA_DIR ?? '.data');
  const file = path.join(dataDir, 'run', 'stack.json');
  if (!fs.existsSync(file)) throw new Error(`no running stack: ${file} does not exist (start one with npm start, or drop --stack)`);
  const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as { apiUrl: string };
  const keyFile = path.join(dataDir, 'admin.key');
  const adminKey = process.env.CAUCE_ADMIN_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '');
  if (!adminKey) throw new Error(`no admin key: set CAUCE_ADMIN_KEY or keep ${keyFile}`);
  return { apiUrl: stack.apiUrl, adminKey, describe: `running stack at ${stack.apiUrl}`, inProcess: false, stop: async () => undefined };
}

/** PostgreSQL, Temporal, the worker and the API in this process, on loopback and free ports. */
export async function inProcessStack(taskQueue: string): Promise<Stack> {
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { runMigrations } = await import('../libs/db/data-source');
  const { startEmbeddedPostgres } = await import('../libs/runtime/postgres');
  const { resolveTemporalCli } = await import('../libs/runtime/temporal-cli');
  const { startTemporalDevServer } = await import('../libs/runtime/temporal-server');
  const { createCauceWorker } = await import('../apps/worker/worker');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-api-bench-'));
  const cli = await resolveTemporalCli();
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(dir, 'postgres') }),
    startTemporalDevServer({ cliPath: cli.path, dataDir: path.join(dir, 'temporal'), ui: false }),
  ]);
  await runMigrations(pg.url);
  const adminKey = `bench_${randomBytes(24).toString('base64url')}`;
  Object.assign(process.env, {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    CAUCE_ADMIN_KEY: adminKey,
  });
  const bundle = path.resolve(__dirname, '../workflow-bundle.js');
  const worker = await createCauceWorker({
    temporalAddress: temporal.address,
    namespace: 'default',
    taskQueue,
    databaseUrl: pg.url,
    workflowBundlePath: bundle,
  });
  const running = worker.worker.run();
  const { createApiApp } = await import('../apps/api/app.factory');
  const app = await createApiApp({ logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    apiUrl,
    adminKey,
    inProcess: true,
    worker: worker.worker,
    describe: 'in-process stack (embedded PostgreSQL, Temporal dev server on SQLite, worker and API in this process)',
    stop: async () => {
      await app.close();
      worker.worker.shutdown();
      await running;
      await worker.close();
      await temporal.stop();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- CPU accounting ---------------------------------------------------------------------------
/**
 * CPU seconds used so far by this process and each of its descendants, grouped by program
 * (node: this process, i.e. the API, the worker and the load generator; temporal; postgres).
 * Descendants are grouped by program name, so a child that is not part of the system under test
 * (bench/http-load-driver.ts, another `node`) must be named in `exclude`: those pids and their
 * descendants are left out. Linux only (/proc); elsewhere it returns only this process.
 */
export function cpuByProgram(exclude: readonly number[] = []): Record<string, number> {
  const own = process.cpuUsage();
  const result: Record<string, number> = { node: (own.user + own.system) / 1e6 };
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return result;
  }
  const tick = 100; // USER_HZ on Linux
  const parent = new Map<number, number>();
  const info = new Map<number, { comm: string; cpu: number }>();
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      parent.set(Number(e), Number(fields[1]));
      info.set(Number(e), { comm, cpu: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch {
      // gone meanwhile
    }
  }
  const isDescendant = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 20; p = parent.get(p), hops++) {
      if (exclude.includes(p)) return false;
      if (p === process.pid) return true;
    }
    return false;
  };
  for (const [pid, i] of info) {
    if (pid === process.pid || exclude.includes(pid) || !isDescendant(pid)) continue;
    const program = i.comm.startsWith('postgres') ? 'postgres' : i.comm.startsWith('temporal') ? 'temporal' : i.comm;
    result[program] = (result[program] ?? 0) + i.cpu;
  }
  return result;
}

export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
