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
 * while the load ran and until every run had closed (its run index row written, the workflow
 * completed), CPU seconds per conversation by process, memory, and a JSON line.
 */
import * as os from 'node:os';
import { arg, commandLine, cpuByProgram, cpuDelta, flag, HttpClient, inProcessStack, machine, mib, must, option, runningStack } from './api-stack';
import { ms, summarize } from './stats';

const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });

/** start → hi → ask → classify → answer → end: one customer turn ends the run. */
const classifyFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: '¿En qué puedo ayudarte?', variable: 'said' } },
    {
      id: 'classify',
      type: 'ai.classify',
      data: {
        threshold: 0.2,
        intents: [
          { id: 'billing', examples: ['me han cobrado dos veces', 'quiero mi factura', 'I was charged twice'] },
          { id: 'shipping', examples: ['¿dónde está mi pedido?', 'no me ha llegado el paquete', 'where is my order'] },
        ],
      },
    },
    { id: 'answer', type: 'message', data: { text: 'Entendido ({{ nodes.classify.output.intent | default: "otro" }}); te escribimos por correo.' } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: '¡Hasta pronto!' } },
  ],
  edges: [
    edge('start', 'next', 'hi'),
    edge('hi', 'next', 'ask'),
    edge('ask', 'reply', 'classify'),
    edge('classify', 'billing', 'answer'),
    edge('classify', 'shipping', 'answer'),
    edge('classify', 'fallback', 'answer'),
    edge('answer', 'next', 'end'),
  ],
};

/** start → hi → ask → end: the API and Temporal overhead of a conversation, no activity. */
const plainFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: '¿En qué puedo ayudarte?', variable: 'said' } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: 'Gracias, {{ vars.said | truncate: 20 }} queda anotado.' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'ask'), edge('ask', 'reply', 'end')],
};

const MESSAGES = ['¿dónde está mi pedido?', 'me han cobrado dos veces', 'where is my order', 'hola', 'I was charged twice'];

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
  let systemKeyId: string | undefined;
  const open = new Set<string>();
  try {
    console.log(`[bench] ${command}`);
    console.log(`[bench] ${machine()}`);
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - startedStack) / 1000).toFixed(1)} s`);
    const key = must(
      await client.request('POST', '/api/api-keys', stack.adminKey, { name: 'api conversations benchmark', role: 'system', rateLimit: 100_000 }),
      201,
      'create key',
    );
    systemKeyId = key.id;
    const flow = must(
      await client.request('POST', '/api/flows', stack.adminKey, {
        name: `bench conversations ${flowKind} ${new Date().toISOString()}`,
        definition: flowKind === 'plain' ? plainFlow : classifyFlow,
      }),
      201,
      'create flow',
    );
    must(await client.request('POST', `/api/flows/${flow.id}/publish`, stack.adminKey), 201, 'publish');

    const startSamples: number[] = [];
    const messageSamples: number[] = [];
    const wholeSamples: number[] = [];
    const statuses: Record<string, number> = {};
    let errors = 0;
    const failures: Record<string, number> = {};
    const fail = (what: string, detail: string) => {
      errors++;
      failures[what] = (failures[what] ?? 0) + 1;
      if (errors <= 5) console.error(`[bench] ${what}: ${detail.slice(0, 300)}`);
    };
    const deadline = Date.now() + maxSeconds * 1000;

    /** One conversation; true when every step answered as a customer would expect. */
    const converse = async (i: number, record: boolean): Promise<void> => {
      const t0 = performance.now();
      const started = await client.request('POST', `/api/flows/${flow.id}/runs`, key.key, { customerId: `bench-${i}` });
      const t1 = performance.now();
      statuses[`start ${started.status}`] = (statuses[`start ${started.status}`] ?? 0) + 1;
      if (started.status !== 201) return fail('start failed', `HTTP ${started.status} ${started.text}`);
      const runId: string = started.body.runId;
      open.add(runId);
      // A start without its opening messages is an error, but the customer still answers, so the run ends.
      const opened = Array.isArray(started.body.replies) && started.body.replies.length >= 2 && started.body.status === 'waiting';
      if (!opened) fail('start without the opening messages', started.text);
      const t2 = performance.now();
      const res = await client.request('POST', `/api/runs/${runId}/messages`, key.key, { text: MESSAGES[i % MESSAGES.length] });
      const t3 = performance.now();
      statuses[`message ${res.status}`] = (statuses[`message ${res.status}`] ?? 0) + 1;
      if (res.status !== 200 || !Array.isArray(res.body?.replies) || res.body.replies.length === 0)
        return fail('turn failed', `HTTP ${res.status} ${res.text}`);
      if (res.body.status !== 'completed') return fail('the run did not end with the turn', res.text);
      if (record && opened) {
        startSamples.push(t1 - t0);
        messageSamples.push(t3 - t2);
        wholeSamples.push(t3 - t0);
      }
    };

    const load = async (total: number, offset: number, record: boolean): Promise<number> => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total && Date.now() < deadline) await converse(offset + next++, record);
        }),
      );
      return (performance.now() - t0) / 1000;
    };

    /** Runs not yet closed in Temporal, through the API's listing (visibility). */
    const stillRunning = async (): Promise<number> => {
      const page = must(await client.request('GET', `/api/runs?flowId=${flow.id}&status=running&pageSize=100`, key.key), 200, 'list runs');
      return page.items.length;
    };
    const drain = async (): Promise<void> => {
      const until = Math.min(deadline, Date.now() + 60_000);
      while (Date.now() < until && (await stillRunning()) > 0) await new Promise((r) => setTimeout(r, 50));
    };

    if (warmup > 0) {
      await load(warmup, 0, false);
      await drain();
    }
    const warmErrors = errors;
    errors = 0;
    const memBefore = process.memoryUsage();
    const cpu0 = stack.inProcess ? cpuByProgram() : {};
    const t0 = performance.now();
    const loadSeconds = await load(conversations, warmup, true);
    await drain();
    const drainedSeconds = (performance.now() - t0) / 1000;
    const cpu = stack.inProcess ? cpuDelta(cpu0, cpuByProgram()) : {};
    const left = await stillRunning();
    const mem = process.memoryUsage();

    const done = wholeSamples.length;
    const rate = done / loadSeconds;
    const sustained = done / drainedSeconds;
    const rows: [string, number[]][] = [
      ['start (POST /flows/:id/runs)', startSamples],
      ['turn (POST /runs/:id/messages)', messageSamples],
      ['whole conversation', wholeSamples],
    ];
    console.log(
      `\nAPI one-turn conversations, flow "${flowKind}": ${conversations} conversations, ${concurrency} concurrent clients, ${warmup} warm-up conversations, offline AI, durable dev server (SQLite WAL) and PostgreSQL`,
    );
    console.log('call                              n      p50        p95        p99        mean       max');
    for (const [name, samples] of rows) {
      const s = summarize(samples);
      console.log(
        `${name.padEnd(33)} ${String(s.n).padEnd(6)} ${ms(s.p50).padEnd(10)} ${ms(s.p95).padEnd(10)} ${ms(s.p99).padEnd(10)} ${ms(s.mean).padEnd(10)} ${ms(s.max)}`,
      );
    }
    console.log(
      `conversations/s: ${rate.toFixed(1)} while the load ran (${loadSeconds.toFixed(2)} s); ${sustained.toFixed(1)} until every run had closed (${drainedSeconds.toFixed(2)} s, ${left} still open)`,
    );
    if (stack.inProcess) {
      const perConv = Object.entries(cpu)
        .filter(([, v]) => v > 0.005)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${((v * 1000) / Math.max(1, done)).toFixed(2)} ms`)
        .join(', ');
      const total = Object.values(cpu).reduce((a, b) => a + b, 0);
      console.log(
        `CPU per conversation: ${perConv} (total ${((total * 1000) / Math.max(1, done)).toFixed(2)} ms; ${(total / drainedSeconds).toFixed(2)} of ${os.cpus().length} cores busy)`,
      );
    }
    console.log(
      `memory: RSS ${mib(mem.rss)} (${mib(memBefore.rss)} before the load), heap used ${mib(mem.heapUsed)} of ${mib(mem.heapTotal)}${stack.inProcess ? ' (API, worker and load generator in one process)' : ' (load generator only)'}`,
    );
    console.log(
      `HTTP statuses: ${JSON.stringify(statuses)}, errors ${errors}${errors ? ` ${JSON.stringify(failures)}` : ''}${warmErrors ? `, ${warmErrors} warm-up errors` : ''}`,
    );
    const s = (x: number[]) => {
      const r = summarize(x);
      return { p50: r.p50, p95: r.p95, p99: r.p99, mean: r.mean, max: r.max };
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
        start: s(startSamples),
        turn: s(messageSamples),
        whole: s(wholeSamples),
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
