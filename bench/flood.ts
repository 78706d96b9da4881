/**
 * Floods and a bystander: does one client's flood slow another key's chat turns, and what does a
 * flood of bad keys cost?
 *
 *   npm run build:server && node dist/bench/flood.js [--turns 300] [--flood-rate 500] [--flood-sockets 16] [--max-seconds 120]
 *
 * Three phases, each `--turns` chat turns of one bystander client (its own system key, one turn
 * at a time, on its own runs):
 *   1. quiet: nothing else runs;
 *   2. key flood: a flooding system key (rate limit 1 request/s) posts chat messages at
 *      `--flood-rate` requests/s (0: as fast as the sockets go), so nearly all get 429;
 *   3. bad-key flood: the same load, each request with a different unknown key.
 * It prints the bystander's p50/p95 per phase, the flood's requests/s and statuses, the `api_keys`
 * lookups PostgreSQL served per flood request (pg_stat_user_tables), and with `--stack` the API
 * process's CPU time per flood request (its CPU in the phase minus the bystander's share, measured
 * in the quiet phase).
 * The flood runs in a worker thread, so it has an event loop of its own, as a separate client would.
 *
 * By default it starts its own stack in-process (see bench/api-stack.ts); `--stack` uses a running
 * `npm start`. Only loopback addresses are accepted; every phase is bounded by `--max-seconds`.
 * Everything comes from 127.0.0.1, so the per-address limits (CAUCE_IP_RATE_LIMIT,
 * CAUCE_IP_AUTH_FAILURE_LIMIT) apply to the bystander too: the default flood rate stays below the
 * address limit, as a flood from another address would leave this one alone.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { arg, commandLine, flag, HttpClient, inProcessStack, machine, must, runningStack } from './api-stack';
import { ms, summarize } from './stats';

const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });

/** start → hi → ask ⟲ message: no activity, so a turn is the API and Temporal overhead. */
const chatFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola.' } },
    { id: 'ask', type: 'ask', data: { text: '¿Algo más?', variable: 'said' } },
    { id: 'echo', type: 'message', data: { text: 'Has dicho: {{ vars.said }}' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'ask'), edge('ask', 'reply', 'echo'), edge('echo', 'next', 'ask')],
};

interface FloodOrder {
  apiUrl: string;
  path: string;
  /** A key, or null: a fresh random (unknown) key per request. */
  key: string | null;
  rate: number;
  sockets: number;
  maxSeconds: number;
}

interface FloodReport {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
}

// ---- the flood (worker thread) ------------------------------------------------------------------
async function flood(order: FloodOrder): Promise<void> {
  const client = new HttpClient(order.apiUrl, order.sockets);
  let stop = false;
  parentPort!.on('message', (m) => {
    if (m === 'stop') stop = true;
  });
  const statuses: Record<string, number> = {};
  let requests = 0;
  const started = performance.now();
  const deadline = started + order.maxSeconds * 1000;
  // Paced: request i is not sent before started + i / rate.
  const interval = order.rate > 0 ? 1000 / order.rate : 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: order.sockets }, async () => {
      while (!stop && performance.now() < deadline) {
        const i = next++;
        if (interval) {
          const wait = started + i * interval - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const key = order.key ?? `cauce_${randomBytes(32).toString('base64url')}`;
        const res = await client.request('POST', order.path, key, { text: 'flood' }).catch(() => ({ status: 0 }));
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        requests++;
      }
    }),
  );
  client.close();
  const report: FloodReport = { requests, seconds: (performance.now() - started) / 1000, statuses };
  parentPort!.postMessage(report);
}

function startFlood(order: FloodOrder): { stop(): Promise<FloodReport> } {
  const worker = new Worker(__filename, { workerData: order });
  const done = new Promise<FloodReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const report = await done;
      await worker.terminate();
      return report;
    },
  };
}

// ---- the bystander (main thread) ----------------------------------------------------------------
async function main(): Promise<void> {
  const turns = arg('turns', 300, 20_000);
  const floodRate = arg('flood-rate', 500, 100_000);
  const floodSockets = arg('flood-sockets', 16, 256);
  const maxSeconds = arg('max-seconds', 120, 1_800);
  const runs = 4;

  const t0 = performance.now();
  const stack = flag('stack') ? runningStack() : await inProcessStack('bench-flood');
  const client = new HttpClient(stack.apiUrl, 4);
  // A running stack says where its database and API process are (run/stack.json).
  const stackFile = flag('stack') ? path.join(path.resolve(process.env.CAUCE_DATA_DIR ?? '.data'), 'run', 'stack.json') : undefined;
  const running = stackFile && fs.existsSync(stackFile) ? (JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { databaseUrl?: string; apiPid?: number }) : {};
  const databaseUrl = stack.inProcess ? process.env.DATABASE_URL : running.databaseUrl;
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 1 }) : undefined;
  /** CPU seconds of the stack's API process so far (Linux /proc), when it runs apart. */
  const apiCpu = (): number | undefined => {
    if (!running.apiPid) return undefined;
    try {
      const stat = fs.readFileSync(`/proc/${running.apiPid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  };
  const keyIds: string[] = [];
  const runIds: string[] = [];
  try {
    console.log(`[bench] ${commandLine()}`);
    console.log(`[bench] ${machine()}`);
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const bystander = must(
      await client.request('POST', '/api/api-keys', stack.adminKey, { name: 'flood bench bystander', role: 'system', rateLimit: 100_000 }),
      201,
      'create key',
    );
    const flooder = must(
      await client.request('POST', '/api/api-keys', stack.adminKey, { name: 'flood bench flooder', role: 'system', rateLimit: 1 }),
      201,
      'create key',
    );
    keyIds.push(bystander.id, flooder.id);
    const flow = must(
      await client.request('POST', '/api/flows', stack.adminKey, { name: `flood bench ${new Date().toISOString()}`, definition: chatFlow }),
      201,
      'create flow',
    );
    must(await client.request('POST', `/api/flows/${flow.id}/publish`, stack.adminKey), 201, 'publish');
    for (let i = 0; i < runs + 1; i++)
      runIds.push(must(await client.request('POST', `/api/flows/${flow.id}/runs`, bystander.key, { customerId: `flood-${i}` }), 201, 'start').runId);
    // The flood's target: a real run (the flooder's requests would reach it if they were let through).
    const floodPath = `/api/runs/${runIds.pop()}/messages`;

    const bystanderTurns = async (): Promise<{ samples: number[]; errors: number; statuses: Record<string, number> }> => {
      const samples: number[] = [];
      const statuses: Record<string, number> = {};
      let errors = 0;
      const deadline = Date.now() + maxSeconds * 1000;
      for (let i = 0; i < turns && Date.now() < deadline; i++) {
        const started = performance.now();
        const res = await client.request('POST', `/api/runs/${runIds[i % runs]}/messages`, bystander.key, { text: `turno ${i}` });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) samples.push(performance.now() - started);
        else errors++;
      }
      return { samples, errors, statuses };
    };
    const keyLookups = async (): Promise<number | undefined> => {
      if (!pool) return undefined;
      // Backends report their table statistics at most once a second.
      await new Promise((r) => setTimeout(r, 1_500));
      const { rows } = await pool.query<{ n: string }>(
        `SELECT (coalesce(idx_scan, 0) + coalesce(seq_scan, 0))::text AS n FROM pg_stat_user_tables WHERE relname = 'api_keys'`,
      );
      return Number(rows[0]?.n ?? 0);
    };

    await bystanderTurns(); // warm-up (JIT, connections, caches), not reported
    const rows: {
      phase: string;
      p50: number;
      p95: number;
      n: number;
      errors: number;
      flood?: FloodReport;
      lookupsPerRequest?: number;
      apiCpuMsPerRequest?: number;
    }[] = [];
    const cpuQuiet0 = apiCpu();
    const quiet = await bystanderTurns();
    const cpuQuiet1 = apiCpu();
    const apiCpuPerTurn =
      cpuQuiet0 !== undefined && cpuQuiet1 !== undefined ? (cpuQuiet1 - cpuQuiet0) / Math.max(1, quiet.samples.length + quiet.errors) : undefined;
    rows.push({ phase: 'quiet', ...summarize(quiet.samples), errors: quiet.errors });

    for (const phase of ['key flood', 'bad-key flood'] as const) {
      const before = await keyLookups();
      const f = startFlood({
        apiUrl: stack.apiUrl,
        path: floodPath,
        key: phase === 'key flood' ? flooder.key : null,
        rate: floodRate,
        sockets: floodSockets,
        maxSeconds,
      });
      const cpu0 = apiCpu();
      await new Promise((r) => setTimeout(r, 500)); // the flood reaches its pace
      const measured = await bystanderTurns();
      const report = await f.stop();
      const cpu1 = apiCpu();
      const after = await keyLookups();
      const apiCpuMsPerRequest =
        cpu0 !== undefined && cpu1 !== undefined && apiCpuPerTurn !== undefined
          ? ((cpu1 - cpu0 - apiCpuPerTurn * (measured.samples.length + measured.errors)) * 1000) / Math.max(1, report.requests)
          : undefined;
      const lookupsPerRequest = before !== undefined && after !== undefined ? (after - before) / Math.max(1, report.requests) : undefined;
      rows.push({ phase, ...summarize(measured.samples), errors: measured.errors, flood: report, lookupsPerRequest, apiCpuMsPerRequest });
      if (measured.errors) console.log(`[bench] ${phase}: bystander statuses ${JSON.stringify(measured.statuses)}`);
    }

    console.log(
      `\nBystander chat turns (one client, one turn at a time, ${turns} per phase) while another client floods at ${floodRate || 'max'} req/s over ${floodSockets} sockets`,
    );
    console.log('phase           p50        p95        errors  flood req/s  flood statuses                      lookups/flood req  API CPU/flood req');
    for (const r of rows) {
      const rate = r.flood ? (r.flood.requests / r.flood.seconds).toFixed(0) : '-';
      const statuses = r.flood ? JSON.stringify(r.flood.statuses) : '-';
      const lookups = r.lookupsPerRequest === undefined ? (r.flood ? 'n/a' : '-') : r.lookupsPerRequest.toFixed(3);
      const cpu = r.apiCpuMsPerRequest === undefined ? (r.flood ? 'n/a' : '-') : `${r.apiCpuMsPerRequest.toFixed(3)} ms`;
      console.log(
        `${r.phase.padEnd(15)} ${ms(r.p50).padEnd(10)} ${ms(r.p95).padEnd(10)} ${String(r.errors).padEnd(7)} ${rate.padEnd(12)} ${statuses.padEnd(35)} ${lookups.padEnd(18)} ${cpu}`,
      );
    }
    console.log(
      JSON.stringify({
        bench: 'flood',
        turns,
        floodRate,
        floodSockets,
        phases: rows.map((r) => ({
          phase: r.phase,
          p50: r.p50,
          p95: r.p95,
          errors: r.errors,
          floodRequests: r.flood?.requests,
          floodSeconds: r.flood?.seconds,
          floodStatuses: r.flood?.statuses,
          lookupsPerRequest: r.lookupsPerRequest,
          apiCpuMsPerRequest: r.apiCpuMsPerRequest,
        })),
      }),
    );
  } finally {
    await Promise.all(runIds.map((id) => client.request('POST', `/api/runs/${id}/cancel`, stack.adminKey).catch(() => undefined)));
    for (const id of keyIds) await client.request('DELETE', `/api/api-keys/${id}`, stack.adminKey).catch(() => undefined);
    client.close();
    await pool?.end();
    await stack.stop();
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  void flood(workerData as FloodOrder);
}
