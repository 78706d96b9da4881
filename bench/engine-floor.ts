/**
 * Cauce's engine without its API against the engine's floor: where a one-turn conversation's cost
 * beyond the floor comes from, the worker's side (interpreter, node activities, run-log writer) or
 * the API's (HTTP, NestJS, the run row). bench/floor.ts measures the whole path; this one drives
 * Cauce's workflow with a plain Temporal client, exactly as the API does (update-with-start with the
 * `opening` Update, the API's start options and search attributes, then one `message` Update), and,
 * in the same run, the same `classify` conversations through the HTTP API (customers in a child
 * process, as in floor.ts), so the difference between the last two sides is the API's.
 *
 *   npm run build:server && node dist/bench/engine-floor.js [--rounds 2] [--per-round 150] [--concurrency 4] [--profile]
 *
 * One in-process stack (bench/api-stack.ts); phases interleaved per round: the floor, Cauce's
 * engine on the `plain` flow, on the `classify` flow (one local activity), and `classify` through
 * the API, each `--per-round` conversations at `--concurrency`. A phase ends when its runs have
 * closed (Cauce: `runs` row closed in PostgreSQL too). Prints CPU ms per conversation by process and
 * conversations/s per phase, and per side over all rounds with the ratio to the floor. `--profile`
 * samples the main thread (the API, the worker's activities and run-log writer, the clients) during
 * the recorded phases and prints where the API's side spends more than the engine's, by package.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { Pool } from 'pg';
import { FLOW_RUN_WORKFLOW, messageUpdate, openingUpdate } from '../contracts/run-wire';
import type { FlowRunInput } from '../contracts/run';
import { runSearchAttributes } from '../contracts/search-attributes';
import type { FlowDefinition } from '../workflows/language';
import { ConversationSamples, publishFlow, waitUntilClosed } from './api-conversation-load';
import { arg, commandLine, cpuByProgram, cpuDelta, flag, HttpClient, inProcessStack, machine } from './api-stack';
import { classifyFlow, GOODBYE, MESSAGES, plainFlow } from './conversation-flows';
import { startFloor } from './floor-side';
import { customersInChild } from './http-load-driver';
import { MainThreadProfile } from './main-thread-profile';
import { stillOpenProbe } from './run-probes';

type Side = 'floor' | 'engine, plain' | 'engine, classify' | 'api, classify';
const SIDES: Side[] = ['floor', 'engine, plain', 'engine, classify', 'api, classify'];

async function main(): Promise<void> {
  const rounds = arg('rounds', 2, 50);
  const perRound = arg('per-round', 150, 10_000);
  const concurrency = arg('concurrency', 4, 64);
  console.log(`[bench] ${commandLine()}`);
  console.log(`[bench] ${machine()}`);
  const stack = await inProcessStack('bench-engine');
  const address = process.env.TEMPORAL_ADDRESS!;
  const floor = await startFloor(stack.worker!, address, 'default');
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const closedProbe = stillOpenProbe(client, pool);
  const floorProbe = stillOpenProbe(client);
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE!;
  const flowIds = { plain: randomUUID(), classify: randomUUID() };
  // The API's side: the classify flow published through the API, customers in their own process (not counted).
  const http = new HttpClient(stack.apiUrl, 4);
  const target = await publishFlow(http, stack.adminKey, 'engine-floor', classifyFlow);
  http.close();
  const customers = await customersInChild(stack.apiUrl, concurrency * 2);
  const profile = flag('profile') ? await MainThreadProfile.open() : undefined;

  /** What the API does for a start and one message, without the API. */
  const engine = async (kind: 'plain' | 'classify', i: number): Promise<string> => {
    const runId = `run-${randomUUID()}`;
    const flowId = flowIds[kind];
    const input: FlowRunInput = {
      flowId,
      version: 1,
      definition: (kind === 'plain' ? plainFlow : classifyFlow) as FlowDefinition,
      input: {},
      customerId: `bench-${i}`,
      channel: 'chat',
      locale: 'es',
    };
    const start = new WithStartWorkflowOperation(FLOW_RUN_WORKFLOW, {
      taskQueue,
      workflowId: runId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      typedSearchAttributes: runSearchAttributes({ flowId, version: 1, customerId: input.customerId }),
    });
    const opening = await client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation: start, updateId: `opening-${randomUUID()}` });
    if (opening.status !== 'waiting') throw new Error(`${runId}: the opening did not wait (${opening.status})`);
    const reply = await client.workflow
      .getHandle(runId)
      .executeUpdate(messageUpdate, { args: [{ text: MESSAGES[i % MESSAGES.length], from: 'customer', receivedAt: Date.now() }], updateId: randomUUID() });
    if (reply.status !== 'completed') throw new Error(`${runId}: the run did not end with the turn (${reply.status})`);
    return runId;
  };

  const totals = new Map<Side, { cpu: Record<string, number>; seconds: number; n: number }>(SIDES.map((s) => [s, { cpu: {}, seconds: 0, n: 0 }]));
  const phase = async (side: Side, offset: number, record: boolean) => {
    const ids: string[] = [];
    let next = 0;
    const exclude = [customers.pid!];
    const cpu0 = cpuByProgram(exclude);
    if (record) await profile?.start();
    const t0 = performance.now();
    if (side === 'api, classify') {
      const conversations = Array.from({ length: perRound }, (_, k) => offset + k);
      const result = await customers.run({
        kind: 'one-turn',
        target,
        conversations,
        concurrency,
        deadline: Date.now() + 600_000,
        record: false,
        messages: MESSAGES,
        goodbye: GOODBYE,
      });
      const failed = result.outcomes.find((o) => o.problems.length > 0);
      if (failed) throw new Error(`${side}: ${failed.problems[0].what}: ${failed.problems[0].detail}`);
      for (const o of result.outcomes) if (o.runId) ids.push(o.runId);
    } else {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < perRound) {
            const i = offset + next++;
            if (side === 'floor') {
              const id = await floor.converse(`floor-${randomUUID()}`, i, 1, new ConversationSamples(), false);
              if (id) ids.push(id);
            } else ids.push(await engine(side === 'engine, plain' ? 'plain' : 'classify', i));
          }
        }),
      );
    }
    const left = await waitUntilClosed(() => (side === 'floor' ? floorProbe(ids) : closedProbe(ids)), Date.now() + 60_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuDelta(cpu0, cpuByProgram(exclude));
    if (record) await profile?.stop(side, ids.length);
    if (left > 0) throw new Error(`${side}: ${left} runs still open`);
    if (!record) return;
    const t = totals.get(side)!;
    for (const [k, v] of Object.entries(cpu)) t.cpu[k] = (t.cpu[k] ?? 0) + v;
    t.seconds += seconds;
    t.n += ids.length;
    console.log(`[bench] ${side}: ${ids.length} conversations in ${seconds.toFixed(2)} s, ${describeCpu(cpu, ids.length)}`);
  };

  try {
    for (const side of SIDES) await phase(side, 0, false); // warm-up
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) await phase(side, (round + 1) * perRound, true);
    }
    const floorTotal = totals.get('floor')!;
    const floorMs = (sum(floorTotal.cpu) * 1000) / floorTotal.n;
    console.log(`\nOne-turn conversations, engine alone and through the API: ${rounds} rounds × ${perRound} per side at ${concurrency} clients`);
    console.log('side                conv/s   CPU per conversation                                   ÷ floor');
    for (const side of SIDES) {
      const t = totals.get(side)!;
      const ms = (sum(t.cpu) * 1000) / t.n;
      console.log(`${side.padEnd(19)} ${(t.n / t.seconds).toFixed(1).padEnd(8)} ${describeCpu(t.cpu, t.n).padEnd(54)} ${(ms / floorMs).toFixed(2)}`);
    }
    if (profile) {
      console.log(`\nMain thread, CPU ms per conversation by package (sampled; --profile): 'api, classify' against 'engine, classify'`);
      for (const row of profile.compare('api, classify', 'engine, classify', 18)) console.log(row);
    }
    console.log(
      JSON.stringify({
        bench: 'engine-floor',
        command: commandLine(),
        sides: Object.fromEntries(
          SIDES.map((s) => {
            const t = totals.get(s)!;
            return [
              s,
              { conversations: t.n, perSecond: Number((t.n / t.seconds).toFixed(1)), cpuMsPerConversation: Number(((sum(t.cpu) * 1000) / t.n).toFixed(1)) },
            ];
          }),
        ),
      }),
    );
  } finally {
    profile?.close();
    await customers.close();
    await pool.end();
    await floor.stop();
    await stack.stop();
  }
}

const sum = (cpu: Record<string, number>) => Object.values(cpu).reduce((a, b) => a + b, 0);

function describeCpu(cpu: Record<string, number>, n: number): string {
  const parts = Object.entries(cpu)
    .filter(([, v]) => v > 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${((v * 1000) / n).toFixed(1)}`);
  return `${((sum(cpu) * 1000) / n).toFixed(1)} ms (${parts.join(', ')})`;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
