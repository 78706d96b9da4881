/**
 * The yardstick of issue #13: Cauce's one-turn conversation against the engine's floor, the thinnest
 * Temporal workflow of the same shape (bench/floor.workflow.ts), on ONE stack and INTERLEAVED, so the
 * machine's drift affects both alike.
 *
 *   npm run build:server && node dist/bench/floor.js [--rounds 4] [--per-round 60] [--concurrency 4] [--warmup 20] [--single-turns 100] [--single-conversations 40] [--flow classify|plain] [--in-process-load]
 *
 * One in-process stack (bench/api-stack.ts: embedded PostgreSQL, Temporal dev server, Cauce's worker
 * and API); the floor's worker runs beside Cauce's on its own task queue with the same workflow-task
 * settings, its client is a plain Temporal client. Each round runs `--per-round` conversations of
 * each side, `--concurrency` at a time, the side going first alternating; a phase ends once every run
 * it started has closed (floor: the workflow completed; Cauce: completed in Temporal AND its `runs`
 * row closed in PostgreSQL), so each side's asynchronous writes are charged to its own phase.
 * CPU is measured per phase by process (node: this process, i.e. API, both workers and the floor's
 * client; temporal; postgres). Cauce's customers (the HTTP load) run in a child process,
 * bench/http-load-driver.ts, forked once before the warm-up: its CPU is charged to neither side and
 * printed apart as the load generator's; `--in-process-load` runs them in this process instead (as
 * before the driver, their CPU then counts as Cauce's node). Then a single-client phase (concurrency 1): chat turns that keep
 * the run waiting (Cauce's `chatLoopFlow` against a bare Update on the floor), `--single-turns` per side,
 * and `--single-conversations` one-turn conversations per side, whose last turn is the one the issue
 * judges (its figures, 48 ms against the floor's 15, are single-client ones).
 *
 * Prints per side: conversations/s, CPU ms per conversation by process, p50/p95/p99 of the start,
 * the last turn and the whole conversation, history events and bytes per conversation (a sample of
 * `--history-sample` runs) with one history's event types; then the ratios the issue judges, each
 * with PASS/MISS, and a JSON line. Exits 1 on any failed call or run left open.
 */
import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { ConversationSamples, cpuPerConversation, latency, printLatencyTable, publishFlow, runLoad, waitUntilClosed } from './api-conversation-load';
import { arg, commandLine, cpuByProgram, cpuDelta, flag, HttpClient, inProcessStack, machine, option } from './api-stack';
import { chatLoopFlow, classifyFlow, GOODBYE, MESSAGES, plainFlow } from './conversation-flows';
import { type Floor, startFloor } from './floor-side';
import { type CauceCustomers, customersInChild, customersInProcess, type LoadJob } from './http-load-driver';
import { type HistorySample, sampleHistories, stillOpenProbe } from './run-probes';
import { summarize } from './stats';

type SideName = 'floor' | 'cauce';
const SIDES: SideName[] = ['floor', 'cauce'];

interface SideResult {
  samples: ConversationSamples;
  /** Run (workflow) ids of the measured conversations. */
  ids: string[];
  cpu: Record<string, number>;
  loadSeconds: number;
  phaseSeconds: number;
  stillOpen: number;
  /** CPU seconds of the load generator in a child process (Cauce only; not in `cpu`). */
  loadGeneratorCpu?: number;
  /** CPU ms per conversation of each recorded round, in order (the spread behind the ratio). */
  roundCpuMs: number[];
}

/** The issue's targets: Cauce against the floor, in one run of this benchmark. */
const TARGETS = { cpuRatio: 1.25, rateRatio: 0.8, extraEvents: 3, lastTurnP50ExtraMs: 10, chatTurnP50Ms: 25, chatTurnP99Ms: 100 };

async function main(): Promise<void> {
  const rounds = arg('rounds', 4, 100);
  const perRound = arg('per-round', 60, 10_000);
  const concurrency = arg('concurrency', 4, 64);
  const warmup = arg('warmup', 20, 1_000);
  const singleTurns = arg('single-turns', 100, 10_000);
  const singleConversations = arg('single-conversations', 40, 10_000);
  const historySample = arg('history-sample', 20, 1_000);
  const maxSeconds = arg('max-seconds', 1_800, 7_200);
  const flowKind = option('flow', 'classify');
  if (!['classify', 'plain'].includes(flowKind)) throw new Error('--flow must be classify or plain');
  const inProcessLoad = flag('in-process-load');
  const command = commandLine();
  const deadline = Date.now() + maxSeconds * 1000;

  const startedStack = performance.now();
  const stack = await inProcessStack('bench-floor-cauce');
  let floor: Floor | undefined;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const http = new HttpClient(stack.apiUrl, concurrency + 4);
  let customers: CauceCustomers | undefined;
  try {
    floor = await startFloor(stack.worker!, process.env.TEMPORAL_ADDRESS!, process.env.TEMPORAL_NAMESPACE ?? 'default');
    const temporalClient: Client = floor.client;
    console.log(`[bench] ${command}`);
    console.log(`[bench] ${machine()}`);
    console.log(`[bench] ${stack.describe}, ready in ${((performance.now() - startedStack) / 1000).toFixed(1)} s`);
    console.log(`[bench] floor worker (settings of Cauce's worker): ${floor.settings}`);
    const target = await publishFlow(http, stack.adminKey, `bench floor ${flowKind}`, flowKind === 'plain' ? plainFlow : classifyFlow);
    const loopTarget = singleTurns > 0 ? await publishFlow(http, stack.adminKey, 'bench floor chat loop', chatLoopFlow) : undefined;
    customers = inProcessLoad ? customersInProcess(stack.apiUrl, concurrency + 4) : await customersInChild(stack.apiUrl, concurrency + 4);
    const cauce = customers;
    const notCounted = cauce.pid ? [cauce.pid] : [];
    console.log(`[bench] Cauce's customers: ${cauce.describe}`);
    /** Cauce's conversations through the customers; the run ids it started, its samples added to `samples`. */
    const cauceJob = async (job: Omit<LoadJob, 'messages' | 'goodbye' | 'deadline'>, samples: ConversationSamples, ids: string[], midTurns?: number[]) => {
      const result = await cauce.run({ ...job, messages: MESSAGES, goodbye: GOODBYE, deadline });
      for (const o of result.outcomes) {
        samples.add(o, midTurns);
        if (o.runId) ids.push(o.runId);
      }
      return result;
    };

    const stillOpen = { floor: stillOpenProbe(temporalClient), cauce: stillOpenProbe(temporalClient, pool) };
    const results = Object.fromEntries(
      SIDES.map((s) => [
        s,
        { samples: new ConversationSamples(s), ids: [], cpu: {}, loadSeconds: 0, phaseSeconds: 0, stillOpen: 0, roundCpuMs: [] } as SideResult,
      ]),
    ) as Record<SideName, SideResult>;
    const warm = Object.fromEntries(SIDES.map((s) => [s, new ConversationSamples(`${s} warm-up`)])) as Record<SideName, ConversationSamples>;

    /** One phase: `count` conversations of one side, then wait until they closed; charged to the side when `record`. */
    const phase = async (side: SideName, tag: string, label: string, count: number, record: boolean) => {
      const samples = record ? results[side].samples : warm[side];
      const ids: string[] = [];
      const f = floor!;
      const converse = async (i: number) => {
        const id = await f.converse(`floor-${tag}-${i}`, i, 1, samples, record);
        if (id) ids.push(id);
      };
      const conversations = Array.from({ length: count }, (_, i) => i);
      const cpu0 = cpuByProgram(notCounted);
      const t0 = performance.now();
      let loadGeneratorCpu: number | undefined;
      let loadSeconds: number;
      if (side === 'floor') loadSeconds = await runLoad(count, concurrency, 0, deadline, converse);
      else ({ loadSeconds, cpuSeconds: loadGeneratorCpu } = await cauceJob({ kind: 'one-turn', target, conversations, concurrency, record }, samples, ids));
      const open = await waitUntilClosed(() => stillOpen[side](ids), Math.min(deadline, Date.now() + 60_000));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuDelta(cpu0, cpuByProgram(notCounted));
      if (open > 0) samples.fail('runs left open', `${open} of ${ids.length} runs still open 60 s after the phase`);
      if (!record) return;
      const r = results[side];
      r.ids.push(...ids);
      r.loadSeconds += loadSeconds;
      r.phaseSeconds += seconds;
      r.stillOpen += open;
      for (const [k, v] of Object.entries(cpu)) r.cpu[k] = (r.cpu[k] ?? 0) + v;
      if (loadGeneratorCpu !== undefined) r.loadGeneratorCpu = (r.loadGeneratorCpu ?? 0) + loadGeneratorCpu;
      const perConversation = (seconds: number) => ((seconds * 1000) / Math.max(1, ids.length)).toFixed(1);
      const cpuMs = perConversation(Object.values(cpu).reduce((a, b) => a + b, 0));
      r.roundCpuMs.push(Number(cpuMs));
      const loadGenerator = loadGeneratorCpu === undefined ? '' : ` (load generator, not counted: ${perConversation(loadGeneratorCpu)} ms)`;
      console.log(
        `[bench] ${label} ${side}: ${ids.length} conversations in ${loadSeconds.toFixed(2)} s (+${(seconds - loadSeconds).toFixed(2)} s until closed), CPU ${cpuMs} ms per conversation${loadGenerator}`,
      );
    };

    for (const side of SIDES) await phase(side, 'warm', 'warm-up', warmup, false);
    for (let r = 0; r < rounds; r++)
      for (const side of r % 2 ? [...SIDES].reverse() : SIDES) await phase(side, `r${r + 1}`, `round ${r + 1}/${rounds}`, perRound, true);

    // Single client: chat turns that keep the run waiting, one conversation at a time, sides alternating.
    const TURNS_PER_CHAT = 10;
    const chats = Math.ceil(singleTurns / TURNS_PER_CHAT);
    const single = Object.fromEntries(
      SIDES.map((s) => [s, { chat: new ConversationSamples(`${s} single chat`), mid: [] as number[], oneTurn: new ConversationSamples(`${s} single`) }]),
    ) as Record<SideName, SingleResult>;
    for (let c = 0; c < Math.max(chats, singleConversations) && Date.now() < deadline; c++) {
      for (const side of c % 2 ? [...SIDES].reverse() : SIDES) {
        const s = single[side];
        const one = { concurrency: 1, record: true, conversations: [c] };
        if (c < singleConversations) {
          if (side === 'floor') await floor.converse(`floor-single-${c}`, c, 1, s.oneTurn, true);
          else await cauceJob({ ...one, kind: 'one-turn', target }, s.oneTurn, []);
        }
        if (loopTarget && c < chats) {
          if (side === 'floor') await floor.converse(`floor-chat-${c}`, c, TURNS_PER_CHAT + 1, s.chat, true, s.mid);
          else await cauceJob({ ...one, kind: 'chat', target: loopTarget, turns: TURNS_PER_CHAT + 1 }, s.chat, [], s.mid);
        }
      }
    }

    const histories = {} as Record<SideName, HistorySample>;
    for (const side of SIDES) histories[side] = await sampleHistories(temporalClient, results[side].ids, historySample);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_events WHERE run_id = ANY($1)`, [results.cauce.ids]);
    const runEventsPerConversation = rows[0].n / Math.max(1, results.cauce.ids.length);

    report({ command, flowKind, rounds, perRound, concurrency, warmup, results, warm, single, histories, runEventsPerConversation, inProcessLoad });
  } finally {
    await customers?.close().catch(() => undefined);
    http.close();
    await pool.end().catch(() => undefined);
    await floor?.stop();
    await stack.stop();
  }
}

/** The single-client phase of one side: chat turns that keep the run waiting, and one-turn conversations. */
interface SingleResult {
  chat: ConversationSamples;
  /** Chat turns that keep the run waiting (the closing turn of each chat is in chat.turn). */
  mid: number[];
  oneTurn: ConversationSamples;
}

interface Report {
  command: string;
  flowKind: string;
  rounds: number;
  perRound: number;
  concurrency: number;
  warmup: number;
  results: Record<SideName, SideResult>;
  warm: Record<SideName, ConversationSamples>;
  single: Record<SideName, SingleResult>;
  histories: Record<SideName, HistorySample>;
  runEventsPerConversation: number;
  inProcessLoad: boolean;
}

function report(p: Report): void {
  const { results, histories, single } = p;
  const figures = Object.fromEntries(
    SIDES.map((side) => {
      const r = results[side];
      const n = r.samples.whole.length;
      return [side, { n, rate: n / Math.max(1e-9, r.phaseSeconds), loadRate: n / Math.max(1e-9, r.loadSeconds), cpu: cpuPerConversation(r.cpu, n) }];
    }),
  ) as Record<SideName, { n: number; rate: number; loadRate: number; cpu: ReturnType<typeof cpuPerConversation> }>;

  const loadMode = p.inProcessLoad ? 'in-process load (counted as Cauce node)' : 'load driver in a child process (not counted)';
  console.log(
    `\nEngine floor against Cauce, one-turn conversations (Cauce flow "${p.flowKind}"): ${p.rounds} rounds of ${p.perRound} conversations per side, ${p.concurrency} concurrent clients, ${p.warmup} warm-up conversations per side, sides interleaved, Cauce's customers: ${loadMode}`,
  );
  console.log('side    conversations  conv/s (until closed)  conv/s (while loading)  CPU per conversation');
  for (const side of SIDES) {
    const f = figures[side];
    console.log(
      `${side.padEnd(7)} ${String(f.n).padEnd(14)} ${f.rate.toFixed(1).padEnd(22)} ${f.loadRate.toFixed(1).padEnd(23)} ${f.cpu.totalMs.toFixed(1)} ms (${f.cpu.line})`,
    );
  }
  const loadGeneratorMs = results.cauce.loadGeneratorCpu === undefined ? undefined : (results.cauce.loadGeneratorCpu * 1000) / Math.max(1, figures.cauce.n);
  console.log(
    loadGeneratorMs === undefined
      ? "load generator: in this process (--in-process-load), its CPU is in Cauce's node figure"
      : `load generator (not counted): ${loadGeneratorMs.toFixed(1)} ms CPU per Cauce conversation, in its own process`,
  );
  printLatencyTable(
    SIDES.flatMap((side): [string, number[]][] => [
      [`${side} start`, results[side].samples.start],
      [`${side} last turn`, results[side].samples.turn],
      [`${side} whole conversation`, results[side].samples.whole],
    ]),
  );
  for (const side of SIDES) {
    const h = histories[side];
    console.log(
      `${side} history: ${h.events.mean.toFixed(1)} events per conversation (${h.events.min}-${h.events.max}), ${(h.bytes.mean / 1024).toFixed(1)} KB, start event ${(h.startEventBytes / 1024).toFixed(1)} KB (${h.runs} runs sampled${h.failed ? `, ${h.failed} unreadable` : ''})`,
    );
  }
  for (const side of SIDES) console.log(`${side} events: ${histories[side].eventTypes.join(' ')}`);
  console.log(`cauce run_events rows per conversation: ${p.runEventsPerConversation.toFixed(1)}`);

  const bySide = (f: (side: SideName) => number[]) =>
    Object.fromEntries(SIDES.map((s) => [s, summarize(f(s))])) as Record<SideName, ReturnType<typeof summarize>>;
  const chat = bySide((s) => single[s].mid);
  const lastAlone = bySide((s) => single[s].oneTurn.turn);
  const lastLoaded = bySide((s) => results[s].samples.turn);
  if (chat.floor.n + lastAlone.floor.n > 0) {
    console.log(
      `\nSingle client (concurrency 1): ${chat.cauce.n} chat turns that keep the run waiting (floor: a bare Update; Cauce: chatLoopFlow), ${lastAlone.cauce.n} one-turn conversations`,
    );
    printLatencyTable(
      SIDES.flatMap((side): [string, number[]][] => [
        [`${side} chat turn`, single[side].mid],
        [`${side} start, one-turn conversation`, single[side].oneTurn.start],
        [`${side} last turn, one-turn conversation`, single[side].oneTurn.turn],
      ]),
    );
  }
  // The issue's last-turn figures (48 ms against 15) are single-client ones; under load the last turn also queues behind CPU.
  const lastTurn =
    lastAlone.floor.n > 0 && lastAlone.cauce.n > 0 ? { ...lastAlone, at: 'concurrency 1' } : { ...lastLoaded, at: `concurrency ${p.concurrency}` };
  const checks = [
    {
      id: 'cpuRatio',
      what: 'CPU per conversation, Cauce / floor',
      value: figures.cauce.cpu.totalMs / figures.floor.cpu.totalMs,
      target: `<= ${TARGETS.cpuRatio}`,
      unit: '',
    },
    { id: 'rateRatio', what: 'conversations/s, Cauce / floor', value: figures.cauce.rate / figures.floor.rate, target: `>= ${TARGETS.rateRatio}`, unit: '' },
    {
      id: 'extraEvents',
      what: 'history events, Cauce - floor',
      value: histories.cauce.events.mean - histories.floor.events.mean,
      target: `<= ${TARGETS.extraEvents}`,
      unit: '',
    },
    {
      id: 'lastTurnP50ExtraMs',
      what: `last turn p50, Cauce - floor (${lastTurn.at})`,
      value: lastTurn.cauce.p50 - lastTurn.floor.p50,
      target: `<= ${TARGETS.lastTurnP50ExtraMs}`,
      unit: ' ms',
    },
    ...(chat.cauce.n > 0
      ? [
          { id: 'chatTurnP50Ms', what: 'single-client chat turn p50, Cauce', value: chat.cauce.p50, target: `<= ${TARGETS.chatTurnP50Ms}`, unit: ' ms' },
          { id: 'chatTurnP99Ms', what: 'single-client chat turn p99, Cauce', value: chat.cauce.p99, target: `<= ${TARGETS.chatTurnP99Ms}`, unit: ' ms' },
        ]
      : []),
  ].map((c) => {
    const [op, bound] = c.target.split(' ');
    const pass = Number.isFinite(c.value) && (op === '<=' ? c.value <= Number(bound) : c.value >= Number(bound));
    return { ...c, pass };
  });
  // Rounds are interleaved, so round r of both sides ran under about the same machine load: the
  // spread of their ratios says how far one run's ratio can be trusted on this machine.
  const roundRatios = results.cauce.roundCpuMs.map((ms, r) => ms / results.floor.roundCpuMs[r]).filter(Number.isFinite);
  const sortedRatios = [...roundRatios].sort((a, b) => a - b);
  const medianRatio = sortedRatios.length ? sortedRatios[Math.floor((sortedRatios.length - 1) / 2)] : NaN;
  if (roundRatios.length > 1)
    console.log(
      `\nCPU ratio by round: ${roundRatios.map((x) => x.toFixed(2)).join(' ')} (median ${medianRatio.toFixed(2)}, ${sortedRatios[0].toFixed(2)}-${sortedRatios[sortedRatios.length - 1].toFixed(2)})`,
    );
  console.log('\nIssue #13 targets');
  for (const c of checks)
    console.log(`${c.what.padEnd(50)} ${`${c.value.toFixed(c.unit ? 2 : 3)}${c.unit}`.padEnd(11)} (target ${c.target}${c.unit})  ${c.pass ? 'PASS' : 'MISS'}`);

  const all = (side: SideName) => [results[side].samples, single[side].chat, single[side].oneTurn];
  const errors = Object.fromEntries(SIDES.map((s) => [s, all(s).reduce((a, x) => a + x.errors, 0)])) as Record<SideName, number>;
  const warmErrors = SIDES.reduce((a, s) => a + p.warm[s].errors, 0);
  for (const side of SIDES) {
    const failures: Record<string, number> = {};
    for (const x of all(side)) for (const [k, v] of Object.entries(x.failures)) failures[k] = (failures[k] ?? 0) + v;
    console.log(`${side} errors ${errors[side]}${errors[side] ? ` ${JSON.stringify(failures)}` : ''}, runs left open ${results[side].stillOpen}`);
  }
  if (warmErrors) console.log(`warm-up errors ${warmErrors}`);

  const round = (x: number, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
  const lat = (x: number[]) => Object.fromEntries(Object.entries(latency(x)).map(([k, v]) => [k, round(v, 1)]));
  console.log(
    JSON.stringify({
      bench: 'floor',
      command: p.command,
      flow: p.flowKind,
      rounds: p.rounds,
      perRound: p.perRound,
      concurrency: p.concurrency,
      load: p.inProcessLoad ? 'in-process' : 'child-process',
      loadGeneratorCpuMsPerConversation: loadGeneratorMs === undefined ? null : round(loadGeneratorMs),
      ...Object.fromEntries(
        SIDES.map((side) => [
          side,
          {
            conversations: figures[side].n,
            conversationsPerSecond: round(figures[side].rate),
            loadConversationsPerSecond: round(figures[side].loadRate),
            cpuMsPerConversation: {
              ...Object.fromEntries(Object.entries(figures[side].cpu.byProgramMs).map(([k, v]) => [k, round(v)])),
              total: round(figures[side].cpu.totalMs),
            },
            start: lat(results[side].samples.start),
            lastTurn: lat(results[side].samples.turn),
            whole: lat(results[side].samples.whole),
            historyEvents: round(histories[side].events.mean, 1),
            historyBytes: Math.round(histories[side].bytes.mean),
            startEventBytes: histories[side].startEventBytes,
            singleChatTurn: lat(single[side].mid),
            singleChatClosingTurn: lat(single[side].chat.turn),
            singleStart: lat(single[side].oneTurn.start),
            singleLastTurn: lat(single[side].oneTurn.turn),
            errors: errors[side],
            stillOpen: results[side].stillOpen,
          },
        ]),
      ),
      cauceRunEventsPerConversation: round(p.runEventsPerConversation, 1),
      cpuRatioByRound: roundRatios.map((x) => round(x)),
      checks: Object.fromEntries(checks.map((c) => [c.id, { what: c.what, value: round(c.value), target: c.target, pass: c.pass }])),
    }),
  );
  if (SIDES.some((s) => errors[s] > 0 || results[s].stillOpen > 0) || warmErrors > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
