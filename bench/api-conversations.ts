/**
 * One-turn conversations through the HTTP API, end to end and durable: a system key starts a run
 * (`POST /api/flows/:id/runs`, which answers with the bot's opening messages), the customer sends one
 * message (`POST /api/runs/:runId/messages`) and gets the reply, and the run ends.
 *
 *   npm run build:server && node dist/bench/api-conversations.js [--conversations 600] [--concurrency 8] [--warmup 40] [--flow classify|plain]
 *
 * By default it starts its own stack in-process: an embedded PostgreSQL and a Temporal dev server
 * (SQLite file, WAL) in a temporary folder, the migrations, the worker and the API on 127.0.0.1.
 * With `--stack` it uses a running `npm start` instead (see api-chat-turn.ts); only loopback.
 *
 * Flows: `classify` (default) greets, asks, classifies the answer with the offline AI (one local
 * activity), answers by intent and ends with a goodbye; `plain` greets, asks and ends (no activity).
 * Prints p50/p95/p99/mean/max of each call and of the whole conversation, conversations per second
 * while the load ran and until every run had closed (in-process: the workflow closed in Temporal and
 * its `runs` row closed in PostgreSQL; with `--stack`: no longer listed as running by GET /api/runs), CPU seconds per conversation by process, memory, and a JSON line.
 * bench/floor.ts runs the same conversations interleaved with the engine's floor.
 */
import * as os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import {
  apiOneTurnConversation,
  type ApiTarget,
  ConversationSamples,
  cpuPerConversation,
  latency,
  openThroughApi,
  printLatencyTable,
  publishFlow,
  runLoad,
  waitUntilClosed,
} from './api-conversation-load';
import { arg, commandLine, cpuByProgram, cpuDelta, flag, HttpClient, inProcessStack, machine, mib, option, runningStack } from './api-stack';
import { classifyFlow, plainFlow } from './conversation-flows';
import { stillOpenProbe } from './run-probes';

async function main(): Promise<void> {
  const conversations = arg('conversations', 600, 100_000);
  const concurrency = arg('concurrency', 8, 256);
  const warmup = arg('warmup', 40, 10_000);
  const maxSeconds = arg('max-seconds', 300, 3_600);
  const flowKind = option('flow', 'classify');
  if (!['classify', 'plain'].includes(flowKind)) throw new Error('--flow must be classify or plain');
  const command = commandLine();

  const startedStack = performance.now();
  const stack = flag('stack') ? runningStack() : await inProcessStack('bench-conversations');
  const client = new HttpClient(stack.apiUrl, concurrency + 4);
  let target: ApiTarget | undefined;
  const open = new Set<string>();
  // In-process, the runs are watched in Temporal and PostgreSQL directly (inProcessStack sets both addresses).
  const connection = stack.inProcess ? await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) : undefined;
  const pool = stack.inProcess ? new Pool({ connectionString: process.env.DATABASE_URL, max: 2 }) : undefined;
  try {
    console.log(`[bench] ${command}`);
    console.log(`[bench] ${machine()}`);
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - startedStack) / 1000).toFixed(1)} s`);
    const flowTarget = await publishFlow(client, stack.adminKey, `bench conversations ${flowKind}`, flowKind === 'plain' ? plainFlow : classifyFlow);
    target = flowTarget;

    const deadline = Date.now() + maxSeconds * 1000;
    let samples = new ConversationSamples();
    const converse = (record: boolean) => async (i: number) => {
      const runId = await apiOneTurnConversation(client, flowTarget, i, samples, record);
      if (runId) open.add(runId);
    };
    const probe = connection && stillOpenProbe(new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }), pool);
    const stillRunning = () => (probe ? probe([...open]) : openThroughApi(client, flowTarget));
    const drain = () => waitUntilClosed(stillRunning, Math.min(deadline, Date.now() + 60_000));

    if (warmup > 0) {
      await runLoad(warmup, concurrency, 0, deadline, converse(false));
      await drain();
    }
    const warmErrors = samples.errors;
    samples = new ConversationSamples();
    const memBefore = process.memoryUsage();
    const cpu0 = stack.inProcess ? cpuByProgram() : {};
    const t0 = performance.now();
    const loadSeconds = await runLoad(conversations, concurrency, warmup, deadline, converse(true));
    await drain();
    const drainedSeconds = (performance.now() - t0) / 1000;
    const cpu = stack.inProcess ? cpuDelta(cpu0, cpuByProgram()) : {};
    const left = await stillRunning();
    const mem = process.memoryUsage();

    const done = samples.whole.length;
    const rate = done / loadSeconds;
    const sustained = done / drainedSeconds;
    console.log(
      `\nAPI one-turn conversations, flow "${flowKind}": ${conversations} conversations, ${concurrency} concurrent clients, ${warmup} warm-up conversations, offline AI, durable dev server (SQLite WAL) and PostgreSQL`,
    );
    printLatencyTable([
      ['start (POST /flows/:id/runs)', samples.start],
      ['turn (POST /runs/:id/messages)', samples.turn],
      ['whole conversation', samples.whole],
    ]);
    console.log(
      `conversations/s: ${rate.toFixed(1)} while the load ran (${loadSeconds.toFixed(2)} s); ${sustained.toFixed(1)} until every run had closed (${drainedSeconds.toFixed(2)} s, ${left} still open)`,
    );
    if (stack.inProcess) {
      const perConv = cpuPerConversation(cpu, done);
      const total = Object.values(cpu).reduce((a, b) => a + b, 0);
      console.log(
        `CPU per conversation: ${perConv.line} (total ${perConv.totalMs.toFixed(2)} ms; ${(total / drainedSeconds).toFixed(2)} of ${os.cpus().length} cores busy)`,
      );
    }
    console.log(
      `memory: RSS ${mib(mem.rss)} (${mib(memBefore.rss)} before the load), heap used ${mib(mem.heapUsed)} of ${mib(mem.heapTotal)}${stack.inProcess ? ' (API, worker and load generator in one process)' : ' (load generator only)'}`,
    );
    const { errors, failures, statuses } = samples;
    console.log(
      `HTTP statuses: ${JSON.stringify(statuses)}, errors ${errors}${errors ? ` ${JSON.stringify(failures)}` : ''}${warmErrors ? `, ${warmErrors} warm-up errors` : ''}`,
    );
    const s = (x: number[]) => {
      const { p50, p95, p99, mean, max } = latency(x);
      return { p50, p95, p99, mean, max };
    };
    console.log(
      JSON.stringify({
        bench: 'api-conversations',
        command,
        flow: flowKind,
        conversations: done,
        concurrency,
        conversationsPerSecond: Number(rate.toFixed(1)),
        sustainedPerSecond: Number(sustained.toFixed(1)),
        start: s(samples.start),
        turn: s(samples.turn),
        whole: s(samples.whole),
        cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(v.toFixed(3))])),
        rssMiB: Math.round(mem.rss / 1024 / 1024),
        errors,
        stillOpen: left,
      }),
    );
    if (errors > 0 || left > 0) process.exitCode = 1;
  } finally {
    // Leave nothing running in someone's stack: cancel what did not end, revoke the key.
    if (!stack.inProcess) {
      await Promise.all([...open].map((id) => client.request('POST', `/api/runs/${id}/cancel`, stack.adminKey).catch(() => undefined)));
    }
    if (target) await client.request('DELETE', `/api/api-keys/${target.keyId}`, stack.adminKey).catch(() => undefined);
    client.close();
    await pool?.end().catch(() => undefined);
    await connection?.close().catch(() => undefined);
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
