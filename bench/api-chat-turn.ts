/**
 * The chat turn through the HTTP API: `POST /api/runs/:runId/messages` (auth, rate limit, run
 * index lookup, Temporal Update, replies back), under a bounded concurrent load on loopback.
 *
 *   npm run build:server && node dist/bench/api-chat-turn.js [--runs 16] [--turns 800] [--concurrency 8] [--warmup 40] [--flow loop|classify]
 *
 * By default it starts its own stack in-process: an embedded PostgreSQL and a Temporal dev server
 * (SQLite file) in a temporary folder, the migrations, the worker and the API on 127.0.0.1.
 * With `--stack` it uses a running `npm start` instead, found through $CAUCE_DATA_DIR/run/stack.json
 * (the admin key from CAUCE_ADMIN_KEY or $CAUCE_DATA_DIR/admin.key); the runs it starts are
 * cancelled at the end. Only loopback addresses are accepted.
 *
 * Flows: `loop` (default) asks, counts and asks again: no activity, so the turn is the API and
 * Temporal overhead; `classify` adds an offline intent classification activity per turn.
 * Prints p50/p95/p99/mean/max of the client-side latency, turns per second, the server-side mean
 * from the API's own histogram, and a JSON line.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ms, summarize } from './stats';

// ---- arguments --------------------------------------------------------------------------------
function arg(name: string, fallback: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`--${name} must be an integer between 0 and ${max}`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

// ---- a small keep-alive HTTP client -----------------------------------------------------------
interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

class HttpClient {
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

// ---- the stack --------------------------------------------------------------------------------
interface Stack {
  apiUrl: string;
  adminKey: string;
  describe: string;
  stop(): Promise<void>;
}

/** A running `npm start`, through $CAUCE_DATA_DIR/run/stack.json. */
function runningStack(): Stack {
  const dataDir = path.resolve(process.env.CAUCE_DATA_DIR ?? '.data');
  const file = path.join(dataDir, 'run', 'stack.json');
  if (!fs.existsSync(file)) throw new Error(`no running stack: ${file} does not exist (start one with npm start, or drop --stack)`);
  const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as { apiUrl: string };
  const keyFile = path.join(dataDir, 'admin.key');
  const adminKey = process.env.CAUCE_ADMIN_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '');
  if (!adminKey) throw new Error(`no admin key: set CAUCE_ADMIN_KEY or keep ${keyFile}`);
  return { apiUrl: stack.apiUrl, adminKey, describe: `running stack at ${stack.apiUrl}`, stop: async () => undefined };
}

/** PostgreSQL, Temporal, the worker and the API in this process, on loopback and free ports. */
async function inProcessStack(): Promise<Stack> {
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
  const taskQueue = 'bench-api';
  const adminKey = `bench_${randomBytes(24).toString('base64url')}`;
  Object.assign(process.env, {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    CAUCE_ADMIN_KEY: adminKey,
  });
  const bundle = path.resolve(__dirname, '../workflow-bundle.js');
  const worker = await createCauceWorker({ temporalAddress: temporal.address, namespace: 'default', taskQueue, databaseUrl: pg.url, workflowBundlePath: bundle });
  const running = worker.worker.run();
  const { createApiApp } = await import('../apps/api/app.factory');
  const app = await createApiApp({ logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    apiUrl,
    adminKey,
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

// ---- the flows --------------------------------------------------------------------------------
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });

/** start → hi → ask ⟲ (count, until "adiós"): the turn runs ask, setVariables, condition, ask. */
const loopFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: 'Turno {{ vars.turns }}: ¿algo más?', variable: 'said' } },
    { id: 'count', type: 'setVariables', data: { assignments: [{ variable: 'turns', rule: { '+': [{ var: 'vars.turns' }, 1] } }] } },
    { id: 'done', type: 'condition', data: { rule: { '==': [{ var: 'vars.said' }, 'adiós'] } } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: 'Hasta luego' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'ask'), edge('ask', 'reply', 'count'), edge('count', 'next', 'done'), edge('done', 'true', 'end'), edge('done', 'false', 'ask')],
  variables: [{ name: 'turns', type: 'number', default: 0 }],
};

/** The same loop with an offline intent classification (one activity) per turn. */
const classifyFlow = {
  nodes: [
    ...loopFlow.nodes.filter((n) => n.id !== 'count' && n.id !== 'done'),
    {
      id: 'classify',
      type: 'ai.classify',
      data: {
        text: '{{ vars.said }}',
        threshold: 0.2,
        intents: [
          { id: 'billing', examples: ['me han cobrado dos veces', 'quiero mi factura', 'I was charged twice'] },
          { id: 'shipping', examples: ['¿dónde está mi pedido?', 'no me ha llegado el paquete', 'where is my order'] },
        ],
      },
    },
    { id: 'answer', type: 'message', data: { text: 'Entendido ({{ nodes.classify.output.intent | default: "otro" }}).' } },
  ],
  edges: [
    edge('start', 'next', 'hi'),
    edge('hi', 'next', 'ask'),
    edge('ask', 'reply', 'classify'),
    edge('classify', 'billing', 'answer'),
    edge('classify', 'shipping', 'answer'),
    edge('classify', 'fallback', 'answer'),
    edge('answer', 'next', 'ask'),
  ],
  variables: loopFlow.variables,
};

const MESSAGES = ['¿dónde está mi pedido?', 'me han cobrado dos veces', 'where is my order', 'hola', 'I was charged twice'];

// ---- the load ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  const runs = arg('runs', 16, 1000);
  const turns = arg('turns', 800, 50_000);
  const concurrency = arg('concurrency', 8, 64);
  const warmup = arg('warmup', 40, 5_000);
  const maxSeconds = arg('max-seconds', 300, 3_600);
  const flowKind = option('flow', 'loop');
  if (!['loop', 'classify'].includes(flowKind)) throw new Error('--flow must be loop or classify');
  if (runs < concurrency) throw new Error('--runs must be at least --concurrency (a run takes one message at a time here)');

  const startedStack = performance.now();
  const stack = flag('stack') ? runningStack() : await inProcessStack();
  const client = new HttpClient(stack.apiUrl, concurrency + 4);
  const runIds: string[] = [];
  let systemKeyId: string | undefined;
  try {
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - startedStack) / 1000).toFixed(1)} s`);
    const must = (r: Reply, status: number, what: string) => {
      if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
      return r.body;
    };
    // A system key with a rate limit above the load, as a shop's integration would have.
    const key = must(await client.request('POST', '/api/api-keys', stack.adminKey, { name: 'api chat-turn benchmark', role: 'system', rateLimit: 100_000 }), 201, 'create key');
    systemKeyId = key.id;
    const flow = must(await client.request('POST', '/api/flows', stack.adminKey, { name: `bench ${flowKind} ${new Date().toISOString()}`, definition: flowKind === 'loop' ? loopFlow : classifyFlow }), 201, 'create flow');
    must(await client.request('POST', `/api/flows/${flow.id}/publish`, stack.adminKey), 201, 'publish');

    for (let i = 0; i < runs; i++) {
      const run = must(await client.request('POST', `/api/flows/${flow.id}/runs`, key.key, { customerId: `bench-${i}` }), 201, 'start run');
      runIds.push(run.runId);
    }

    let errors = 0;
    const statuses: Record<string, number> = {};
    const deadline = Date.now() + maxSeconds * 1000;
    const load = async (total: number, samples: number[] | null): Promise<number> => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, worker) => {
          // Each client owns a slice of the runs, so a run never gets two messages at once.
          const mine = runIds.filter((_, i) => i % concurrency === worker);
          let turn = 0;
          while (next < total && Date.now() < deadline) {
            next++;
            const runId = mine[turn % mine.length];
            const text = MESSAGES[turn++ % MESSAGES.length];
            const t0 = performance.now();
            const res = await client.request('POST', `/api/runs/${runId}/messages`, key.key, { text });
            const elapsed = performance.now() - t0;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status !== 200 || !Array.isArray(res.body?.replies) || res.body.replies.length === 0) {
              errors++;
              if (errors <= 3) console.error(`[bench] turn failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
            } else if (samples) samples.push(elapsed);
          }
        }),
      );
      return (performance.now() - started) / 1000;
    };

    if (warmup > 0) await load(warmup, null);
    const warmErrors = errors;
    errors = 0;
    const samples: number[] = [];
    const seconds = await load(turns, samples);
    const s = summarize(samples);
    const rate = s.n / seconds;

    const metrics = await client.request('GET', '/api/metrics', key.key);
    const metric = (name: string) => Number(new RegExp(`^${name}\\{result="ok"\\} ([0-9.e+-]+)$`, 'm').exec(metrics.text)?.[1] ?? NaN);
    const serverMean = (metric('cauce_chat_turn_duration_seconds_sum') / metric('cauce_chat_turn_duration_seconds_count')) * 1000;

    console.log(`\nAPI chat turn (POST /api/runs/:runId/messages), flow "${flowKind}": ${runs} runs, ${concurrency} concurrent clients, ${warmup} warm-up turns, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`);
    console.log('turns   p50        p95        p99        mean       max        turns/s   errors');
    console.log(
      `${String(s.n).padEnd(7)} ${ms(s.p50).padEnd(10)} ${ms(s.p95).padEnd(10)} ${ms(s.p99).padEnd(10)} ${ms(s.mean).padEnd(10)} ${ms(s.max).padEnd(10)} ${rate.toFixed(1).padEnd(9)} ${errors}`,
    );
    console.log(`server-side chat turn mean (cauce_chat_turn_duration_seconds, warm-up included): ${Number.isFinite(serverMean) ? ms(serverMean) : 'n/a'}`);
    console.log(`HTTP statuses: ${JSON.stringify(statuses)}${warmErrors ? `, ${warmErrors} warm-up errors` : ''}`);
    console.log(JSON.stringify({ bench: 'api-chat-turn', flow: flowKind, runs, concurrency, turns: s.n, seconds: Number(seconds.toFixed(3)), turnsPerSecond: Number(rate.toFixed(1)), p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean, max: s.max, errors }));
    if (errors > 0) process.exitCode = 1;
  } finally {
    // Leave nothing running in someone's stack: cancel the runs, revoke the key.
    await Promise.all(runIds.map((id) => client.request('POST', `/api/runs/${id}/cancel`, stack.adminKey).catch(() => undefined)));
    if (systemKeyId) await client.request('DELETE', `/api/api-keys/${systemKeyId}`, stack.adminKey).catch(() => undefined);
    client.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
