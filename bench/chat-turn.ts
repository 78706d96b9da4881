/**
 * The chat turn of the flow interpreter against a hand-written workflow doing the same steps
 * (greet; per message: classify, answer from the knowledge base, ask again), side by side in one run,
 * on a durable Temporal dev server (SQLite file) with the offline AI as local activities.
 *
 *   npm run build:server && node dist/bench/chat-turn.js [--conversations 40] [--turns 5] [--concurrency 4]
 *
 * Prints p50/p95/p99 of the turn latency (Update sent → replies back), turns per second, CPU per turn
 * (this process, i.e. worker and client, and the Temporal server; each round runs one side only) and memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import { Pool } from 'pg';
import { createActivities, createStaticKnowledgeBase } from '../activities';
import { runMigrations } from '../libs/db/data-source';
import { startEmbeddedPostgres } from '../libs/runtime/postgres';
import { resolveTemporalCli } from '../libs/runtime/temporal-cli';
import { startTemporalDevServer } from '../libs/runtime/temporal-server';
import { workflowBundlerOptions } from '../workflows/interpreter/bundle-options';
import { FLOW_RUN_WORKFLOW, messageUpdate } from '../contracts/run-wire';
import { createRunLogWriter } from '../activities/run-events/run-log-writer';
import { runLogSinks } from '../activities/run-events/run-log-sink';
import type { FlowRunInput } from '../contracts/run';
import { commandLine, cpuByProgram, cpuDelta, machine } from './api-stack';
import { BENCH_ARTICLES, BENCH_MESSAGES, benchChatFlow } from './flows';
import { ms, summarize } from './stats';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

type Kind = 'interpreter' | 'hand-written';

async function conversation(client: Client, taskQueue: string, kind: Kind, id: string, turns: number, samples: number[]): Promise<void> {
  const workflowId = `bench-${kind}-${id}`;
  const input: FlowRunInput = { flowId: '00000000-0000-4000-8000-000000000001', version: 1, definition: benchChatFlow };
  const handle: WorkflowHandle =
    kind === 'interpreter'
      ? await client.workflow.start(FLOW_RUN_WORKFLOW, { taskQueue, workflowId, args: [input] })
      : await client.workflow.start('handWrittenChatWorkflow', { taskQueue, workflowId });
  for (let t = 0; t < turns; t++) {
    const started = performance.now();
    const result = await handle.executeUpdate(messageUpdate, { args: [{ text: BENCH_MESSAGES[t % BENCH_MESSAGES.length] }] });
    samples.push(performance.now() - started);
    if (result.replies.length === 0) throw new Error(`${kind}: a turn returned no replies`);
  }
  await handle.terminate('benchmark done');
}

async function round(client: Client, taskQueue: string, kind: Kind, conversations: number, turns: number, concurrency: number, tag: string) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < conversations) {
        const i = next++;
        await conversation(client, taskQueue, kind, `${tag}-${i}`, turns, samples);
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const conversations = arg('conversations', 40);
  const turns = arg('turns', 5);
  const concurrency = arg('concurrency', 4);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-'));
  const cli = await resolveTemporalCli();
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(dir, 'postgres') }),
    startTemporalDevServer({ cliPath: cli.path, dataDir: path.join(dir, 'temporal'), ui: false }),
  ]);
  await runMigrations(pg.url);
  const pool = new Pool({ connectionString: pg.url, max: 10 });
  const taskQueue = 'bench';
  const runLog = createRunLogWriter({ pool });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: temporal.address }),
    taskQueue,
    workflowsPath: require.resolve('./workflows'),
    bundlerOptions: workflowBundlerOptions(require.resolve('./workflows')),
    activities: createActivities({ pool, knowledge: createStaticKnowledgeBase(BENCH_ARTICLES) }),
    sinks: runLogSinks(runLog),
    maxCachedWorkflows: 2000,
  });
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const results: Record<Kind, { samples: number[]; seconds: number; cpu: Record<string, number> }> = {
    interpreter: { samples: [], seconds: 0, cpu: {} },
    'hand-written': { samples: [], seconds: 0, cpu: {} },
  };
  await worker.runUntil(async () => {
    // Warm-up: bundle caches, JIT, connections.
    await round(client, taskQueue, 'interpreter', 4, 2, 2, 'warm');
    await round(client, taskQueue, 'hand-written', 4, 2, 2, 'warm');
    // Interleaved rounds, so drift in the machine affects both sides alike.
    for (let r = 0; r < 4; r++) {
      for (const kind of (r % 2 ? ['hand-written', 'interpreter'] : ['interpreter', 'hand-written']) as Kind[]) {
        const cpu0 = cpuByProgram();
        const { samples, seconds } = await round(client, taskQueue, kind, conversations / 4, turns, concurrency, `r${r}`);
        for (const [k, v] of Object.entries(cpuDelta(cpu0, cpuByProgram()))) results[kind].cpu[k] = (results[kind].cpu[k] ?? 0) + v;
        results[kind].samples.push(...samples);
        results[kind].seconds += seconds;
      }
    }
  });
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`\n[bench] ${commandLine()}`);
  console.log(`[bench] ${machine()}`);
  console.log(
    `chat turn: ${conversations} conversations x ${turns} turns per side, ${concurrency} at a time, ${os.cpus().length} cores, durable dev server (SQLite)`,
  );
  console.log('side           turns   p50        p95        p99        mean       turns/s   CPU/turn: node   temporal');
  const cpuPerTurn = (kind: Kind, program: string) => ((results[kind].cpu[program] ?? 0) * 1000) / Math.max(1, results[kind].samples.length);
  for (const kind of ['interpreter', 'hand-written'] as Kind[]) {
    const s = summarize(results[kind].samples);
    const rate = s.n / results[kind].seconds;
    console.log(
      `${kind.padEnd(14)} ${String(s.n).padEnd(7)} ${ms(s.p50).padEnd(10)} ${ms(s.p95).padEnd(10)} ${ms(s.p99).padEnd(10)} ${ms(s.mean).padEnd(10)} ${rate.toFixed(1).padEnd(9)} ${ms(cpuPerTurn(kind, 'node')).padEnd(16)} ${ms(cpuPerTurn(kind, 'temporal'))}`,
    );
  }
  const i = summarize(results.interpreter.samples);
  const h = summarize(results['hand-written'].samples);
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
  console.log(
    `interpreter overhead: p50 ${pct(i.p50, h.p50)}, p95 ${pct(i.p95, h.p95)}, mean ${pct(i.mean, h.mean)}; CPU per turn: node ${pct(cpuPerTurn('interpreter', 'node'), cpuPerTurn('hand-written', 'node'))}, temporal ${pct(cpuPerTurn('interpreter', 'temporal'), cpuPerTurn('hand-written', 'temporal'))}`,
  );
  console.log(`memory: benchmark process (worker + client) RSS ${rss.toFixed(0)} MiB`);
  await runLog.close();
  const events = await pool.query(`SELECT count(*)::int AS n FROM run_events`);
  console.log(`run events written by the interpreter: ${events.rows[0].n}`);
  await pool.end();
  await temporal.stop();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
