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
import * as os from 'node:os';
import { arg, commandLine, cpuByProgram, cpuDelta, flag, HttpClient, inProcessStack, machine, must, option, runningStack } from './api-stack';
import { CLASSIFY_INTENTS, edge } from './conversation-flows';
import { ms, summarize } from './stats';

// ---- the flows --------------------------------------------------------------------------------

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
  edges: [
    edge('start', 'next', 'hi'),
    edge('hi', 'next', 'ask'),
    edge('ask', 'reply', 'count'),
    edge('count', 'next', 'done'),
    edge('done', 'true', 'end'),
    edge('done', 'false', 'ask'),
  ],
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
        intents: CLASSIFY_INTENTS,
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
  const stack = flag('stack') ? runningStack() : await inProcessStack('bench-api');
  const client = new HttpClient(stack.apiUrl, concurrency + 4);
  const runIds: string[] = [];
  let systemKeyId: string | undefined;
  try {
    console.log(`[bench] ${commandLine()}`);
    console.log(`[bench] ${machine()}`);
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - startedStack) / 1000).toFixed(1)} s`);
    // A system key with a rate limit above the load, as a shop's integration would have.
    const key = must(
      await client.request('POST', '/api/api-keys', stack.adminKey, { name: 'api chat-turn benchmark', role: 'system', rateLimit: 100_000 }),
      201,
      'create key',
    );
    systemKeyId = key.id;
    const flow = must(
      await client.request('POST', '/api/flows', stack.adminKey, {
        name: `bench ${flowKind} ${new Date().toISOString()}`,
        definition: flowKind === 'loop' ? loopFlow : classifyFlow,
      }),
      201,
      'create flow',
    );
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
    const cpu0 = stack.inProcess ? cpuByProgram() : {};
    const seconds = await load(turns, samples);
    const cpu = stack.inProcess ? cpuDelta(cpu0, cpuByProgram()) : {};
    const s = summarize(samples);
    const rate = s.n / seconds;

    const metrics = await client.request('GET', '/api/metrics', key.key);
    const metric = (name: string) => Number(new RegExp(`^${name}\\{result="ok"\\} ([0-9.e+-]+)$`, 'm').exec(metrics.text)?.[1] ?? NaN);
    const serverMean = (metric('cauce_chat_turn_duration_seconds_sum') / metric('cauce_chat_turn_duration_seconds_count')) * 1000;

    console.log(
      `\nAPI chat turn (POST /api/runs/:runId/messages), flow "${flowKind}": ${runs} runs, ${concurrency} concurrent clients, ${warmup} warm-up turns, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`,
    );
    console.log('turns   p50        p95        p99        mean       max        turns/s   errors');
    console.log(
      `${String(s.n).padEnd(7)} ${ms(s.p50).padEnd(10)} ${ms(s.p95).padEnd(10)} ${ms(s.p99).padEnd(10)} ${ms(s.mean).padEnd(10)} ${ms(s.max).padEnd(10)} ${rate.toFixed(1).padEnd(9)} ${errors}`,
    );
    console.log(`server-side chat turn mean (cauce_chat_turn_duration_seconds, warm-up included): ${Number.isFinite(serverMean) ? ms(serverMean) : 'n/a'}`);
    if (stack.inProcess) {
      const total = Object.values(cpu).reduce((x, y) => x + y, 0);
      const per = Object.entries(cpu)
        .filter(([, v]) => v > 0.005)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} ${((v * 1000) / Math.max(1, s.n)).toFixed(2)} ms`)
        .join(', ');
      console.log(
        `CPU per turn: ${per} (total ${((total * 1000) / Math.max(1, s.n)).toFixed(2)} ms; ${(total / seconds).toFixed(2)} of ${os.cpus().length} cores busy)`,
      );
    }
    console.log(`HTTP statuses: ${JSON.stringify(statuses)}${warmErrors ? `, ${warmErrors} warm-up errors` : ''}`);
    console.log(
      JSON.stringify({
        bench: 'api-chat-turn',
        flow: flowKind,
        runs,
        concurrency,
        turns: s.n,
        seconds: Number(seconds.toFixed(3)),
        turnsPerSecond: Number(rate.toFixed(1)),
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        mean: s.mean,
        max: s.max,
        errors,
        cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(v.toFixed(3))])),
      }),
    );
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
