/**
 * One-turn conversations through Cauce's HTTP API, as a customer's client has them, and what the
 * benchmarks that drive them share (api-conversations.ts, floor.ts): the samples of each call, the
 * bounded-concurrency load loop, the drain through the API's listing, and the latency table.
 * bench/http-load-driver.ts runs the same conversations in a child process and hands back each one
 * as a ConversationOutcome.
 */
import type { HttpClient } from './api-stack';
import { must } from './api-stack';
import { GOODBYE, MESSAGES } from './conversation-flows';
import { ms, summarize } from './stats';

/** Latencies of one side's conversations, and what went wrong. */
export class ConversationSamples {
  /** The start (answers with the opening messages). */
  readonly start: number[] = [];
  /** The customer's turn; in a one-turn conversation, the last turn (it returns once the run has decided to end). */
  readonly turn: number[] = [];
  readonly whole: number[] = [];
  readonly statuses: Record<string, number> = {};
  readonly failures: Record<string, number> = {};
  errors = 0;

  constructor(private readonly side = '') {}

  fail(what: string, detail: string): void {
    this.errors++;
    this.failures[what] = (this.failures[what] ?? 0) + 1;
    if (this.errors <= 5) console.error(`[bench]${this.side ? ` ${this.side}` : ''} ${what}: ${detail.slice(0, 300)}`);
  }

  count(call: string, status: number): void {
    this.statuses[`${call} ${status}`] = (this.statuses[`${call} ${status}`] ?? 0) + 1;
  }

  /** Adds a conversation measured elsewhere (in the load driver): its latencies and statuses; its failures are reported here. */
  add(o: ConversationOutcome, midTurns?: number[]): void {
    this.start.push(...o.start);
    this.turn.push(...o.turn);
    this.whole.push(...o.whole);
    midTurns?.push(...o.midTurns);
    for (const [k, v] of Object.entries(o.statuses)) this.statuses[k] = (this.statuses[k] ?? 0) + v;
    for (const p of o.problems) this.fail(p.what, p.detail);
  }
}

/**
 * One conversation's samples as plain data, so they cross a process boundary. The latency arrays
 * hold one sample each when the conversation went right and was recorded, none otherwise.
 */
export interface ConversationOutcome {
  /** The conversation's number (its customer is `bench-<i>`, or `bench-chat-<i>`). */
  i: number;
  /** Once started, even if a later step failed (so the caller can wait for the run). */
  runId?: string;
  start: number[];
  turn: number[];
  whole: number[];
  /** Chat turns that kept the run waiting. */
  midTurns: number[];
  statuses: Record<string, number>;
  problems: { what: string; detail: string }[];
}

/** A published flow and a system key allowed to start it, as a shop's integration has. */
export interface ApiTarget {
  flowId: string;
  key: string;
  keyId: string;
}

export async function publishFlow(client: HttpClient, adminKey: string, name: string, definition: unknown): Promise<ApiTarget> {
  const key = must(await client.request('POST', '/api/api-keys', adminKey, { name: `${name} key`, role: 'system', rateLimit: 100_000 }), 201, 'create key');
  const flow = must(await client.request('POST', '/api/flows', adminKey, { name: `${name} ${new Date().toISOString()}`, definition }), 201, 'create flow');
  must(await client.request('POST', `/api/flows/${flow.id}/publish`, adminKey), 201, 'publish');
  return { flowId: flow.id, key: key.key, keyId: key.id };
}

/**
 * One conversation: start (it must answer with the opening messages and wait), one customer
 * message whose reply must end the run. Returns the run id once started (even if a later step
 * failed, so the caller can wait for it or cancel it); samples only a conversation that went right.
 */
export async function apiOneTurnConversation(
  client: HttpClient,
  target: ApiTarget,
  i: number,
  samples: ConversationSamples,
  record: boolean,
  messages: readonly string[] = MESSAGES,
): Promise<string | undefined> {
  const t0 = performance.now();
  const started = await client.request('POST', `/api/flows/${target.flowId}/runs`, target.key, { customerId: `bench-${i}` });
  const t1 = performance.now();
  samples.count('start', started.status);
  if (started.status !== 201) {
    samples.fail('start failed', `HTTP ${started.status} ${started.text}`);
    return undefined;
  }
  const runId: string = started.body.runId;
  // A start without its opening messages is an error, but the customer still answers, so the run ends.
  const opened = Array.isArray(started.body.replies) && started.body.replies.length >= 2 && started.body.status === 'waiting';
  if (!opened) samples.fail('start without the opening messages', started.text);
  const t2 = performance.now();
  const res = await client.request('POST', `/api/runs/${runId}/messages`, target.key, { text: messages[i % messages.length] });
  const t3 = performance.now();
  samples.count('message', res.status);
  if (res.status !== 200 || !Array.isArray(res.body?.replies) || res.body.replies.length === 0) {
    samples.fail('turn failed', `HTTP ${res.status} ${res.text}`);
    return runId;
  }
  if (res.body.status !== 'completed') {
    samples.fail('the run did not end with the turn', res.text);
    return runId;
  }
  if (record && opened) {
    samples.start.push(t1 - t0);
    samples.turn.push(t3 - t2);
    samples.whole.push(t3 - t0);
  }
  return runId;
}

/**
 * A conversation on chatLoopFlow: start, `turns - 1` messages that keep the run waiting (their
 * latencies go to `midTurns`: the chat turn as a customer feels it), then GOODBYE, whose reply ends
 * the run (samples.turn). Returns the run id once started.
 */
export async function apiChatConversation(
  client: HttpClient,
  target: ApiTarget,
  i: number,
  turns: number,
  samples: ConversationSamples,
  midTurns: number[],
  messages: readonly string[] = MESSAGES,
  goodbye = GOODBYE,
): Promise<string | undefined> {
  const t0 = performance.now();
  const started = await client.request('POST', `/api/flows/${target.flowId}/runs`, target.key, { customerId: `bench-chat-${i}` });
  const t1 = performance.now();
  samples.count('start', started.status);
  if (started.status !== 201 || started.body.status !== 'waiting') {
    samples.fail('start failed', `HTTP ${started.status} ${started.text}`);
    return started.body?.runId;
  }
  const runId: string = started.body.runId;
  const mids: number[] = [];
  let t2 = t1;
  let t3 = t1;
  for (let turn = 0; turn < turns; turn++) {
    const last = turn === turns - 1;
    t2 = performance.now();
    const res = await client.request('POST', `/api/runs/${runId}/messages`, target.key, { text: last ? goodbye : messages[(i + turn) % messages.length] });
    t3 = performance.now();
    samples.count('message', res.status);
    if (res.status !== 200 || !Array.isArray(res.body?.replies) || res.body.replies.length === 0 || res.body.status !== (last ? 'completed' : 'waiting')) {
      samples.fail('turn failed', `HTTP ${res.status} ${res.text}`);
      return runId;
    }
    if (!last) mids.push(t3 - t2);
  }
  samples.start.push(t1 - t0);
  samples.turn.push(t3 - t2);
  samples.whole.push(t3 - t0);
  midTurns.push(...mids);
  return runId;
}

/** `total` conversations, `concurrency` at a time, numbered from `offset`, until the deadline; the seconds it took. */
export async function runLoad(
  total: number,
  concurrency: number,
  offset: number,
  deadline: number,
  converse: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && Date.now() < deadline) await converse(offset + next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * Runs of the flow still open in Temporal, through the API's listing (visibility). It only sees
 * the workflow type and search attributes GET /runs filters on; floor.ts waits on Temporal and the
 * `runs` rows directly instead.
 */
export async function openThroughApi(client: HttpClient, target: ApiTarget): Promise<number> {
  const page = must(await client.request('GET', `/api/runs?flowId=${target.flowId}&status=running&pageSize=100`, target.key), 200, 'list runs');
  return page.items.length;
}

/** Polls `stillOpen` every 50 ms until it answers 0 or `until` (epoch ms) passes; what was still open. */
export async function waitUntilClosed(stillOpen: () => Promise<number>, until: number): Promise<number> {
  for (;;) {
    const open = await stillOpen();
    if (open === 0 || Date.now() >= until) return open;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type Latency = ReturnType<typeof latency>;

export function latency(samples: number[]) {
  const r = summarize(samples);
  return { n: r.n, p50: r.p50, p95: r.p95, p99: r.p99, mean: r.mean, max: r.max };
}

/** The p50/p95/p99/mean/max table of the benchmarks, one row per call. */
export function printLatencyTable(rows: [string, number[]][]): void {
  const width = Math.max(33, ...rows.map(([name]) => name.length));
  console.log(`${'call'.padEnd(width)} n      p50        p95        p99        mean       max`);
  for (const [name, samples] of rows) {
    const s = summarize(samples);
    console.log(
      `${name.padEnd(width)} ${String(s.n).padEnd(6)} ${ms(s.p50).padEnd(10)} ${ms(s.p95).padEnd(10)} ${ms(s.p99).padEnd(10)} ${ms(s.mean).padEnd(10)} ${ms(s.max)}`,
    );
  }
}

/** CPU ms per conversation by process, largest first ("node 31.20 ms, temporal 22.10 ms"), and the total. */
export function cpuPerConversation(cpu: Record<string, number>, conversations: number): { line: string; totalMs: number; byProgramMs: Record<string, number> } {
  const n = Math.max(1, conversations);
  const byProgramMs = Object.fromEntries(
    Object.entries(cpu)
      .filter(([, v]) => v > 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, (v * 1000) / n]),
  );
  const totalMs = (Object.values(cpu).reduce((a, b) => a + b, 0) * 1000) / n;
  const line = Object.entries(byProgramMs)
    .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
    .join(', ');
  return { line, totalMs, byProgramMs };
}
