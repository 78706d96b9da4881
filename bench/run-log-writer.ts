/**
 * The worker's run-log writer (activities/run-events/run-log-writer.ts) against the per-run activity
 * path it replaces (`recordRunEvents` per batch and `updateRunIndex` at the close, one commit each),
 * on an embedded, durable PostgreSQL of its own (fsync on, as `npm start` runs it).
 *
 *   npm run build:server && node dist/bench/run-log-writer.js [--conversations 2000] [--rounds 2] [--concurrency 8]
 *
 * Each one-turn conversation is three entries, as a run hands them over: its start (8 events), the
 * customer's reply (11 events), its end (1 event and the close): 20 events and one `runs` row. The
 * writer gets every entry at once (a busy worker); the activity path runs `--concurrency` runs at a
 * time over a pool of that size (the worker's local activities). Rounds alternate the two, so a load
 * change on a shared machine hits both. Prints conversations/s, events/s, ms per flush, and the CPU
 * of this process and of PostgreSQL (its server processes, from /proc) per conversation. Also the
 * time from `record` to committed for one entry on an idle writer. `--url` uses an existing,
 * disposable database instead.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { runMigrations } from '../libs/db/data-source';
import { startEmbeddedPostgres } from '../libs/runtime/postgres';
import { silentLogger } from '../libs/runtime/log';
import type { RecordedRunEvent } from '../contracts/run-events';
import type { RunLogEntry } from '../contracts/run-log';
import { createRunEventActivities } from '../activities/run-events/run-events.activities';
import { createRunLogWriter } from '../activities/run-events/run-log-writer';
import { ms, summarize } from './stats';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const FLOWS = Array.from({ length: 20 }, () => randomUUID());

/** The three entries of one one-turn conversation (20 events, then the close). */
function conversation(i: number, prefix: string): RunLogEntry[] {
  const run = { runId: `${prefix}-${i}`, flowId: FLOWS[i % FLOWS.length], version: 1, customerId: `cust-${i % 500}` };
  const t0 = Date.now();
  let seq = 0;
  const ev = (type: string, nodeId: string | undefined, data: Record<string, unknown>, offsetMs: number): RecordedRunEvent => ({
    seq: ++seq,
    type,
    ...(nodeId ? { nodeId } : {}),
    data,
    at: new Date(t0 + offsetMs).toISOString(),
  });
  const start = [
    ev('run.started', undefined, { trigger: 'api' }, 0),
    ev('node.entered', 'start', { type: 'start' }, 1),
    ev('node.left', 'start', { branch: null }, 1),
    ev('node.entered', 'hi', { type: 'message' }, 2),
    ev('message.out', 'hi', { text: 'Hola, ¿en qué te puedo ayudar hoy?', from: 'bot' }, 2),
    ev('node.left', 'hi', { branch: null }, 2),
    ev('node.entered', 'ask', { type: 'ask' }, 3),
    ev('message.out', 'ask', { text: '¿Es sobre un pedido, una factura o algo más?', from: 'bot', buttons: 3 }, 3),
  ];
  const reply = [
    ev('message.in', 'ask', { from: 'customer', length: 31, waitingFor: 'reply', receivedAt: t0 + 20_000 }, 20_000),
    ev('node.left', 'ask', { branch: null }, 20_001),
    ev('node.entered', 'classify', { type: 'ai.classify' }, 20_001),
    ev('ai.classified', 'classify', { intent: 'billing', confidence: 0.82, engine: 'offline' }, 20_004),
    ev('node.left', 'classify', { branch: 'billing' }, 20_004),
    ev('node.entered', 'answer', { type: 'message' }, 20_005),
    ev('message.out', 'answer', { text: 'Puedes ver y descargar tus facturas en Mi cuenta → Pagos.', from: 'bot' }, 20_005),
    ev('node.left', 'answer', { branch: null }, 20_005),
    ev('node.entered', 'goal', { type: 'goal' }, 20_006),
    ev('goal', 'goal', { name: 'resolved' }, 20_006),
    ev('node.entered', 'end', { type: 'end' }, 20_007),
  ];
  const end = [ev('run.finished', undefined, { status: 'completed', outcome: 'resolved' }, 20_008)];
  const close = { ...run, status: 'completed', outcome: 'resolved', startedAt: new Date(t0).toISOString(), closedAt: new Date(t0 + 20_008).toISOString() };
  return [{ events: { ...run, events: start } }, { events: { ...run, events: reply } }, { events: { ...run, events: end }, close }];
}

/** CPU ms of the PostgreSQL server: the postmaster and every process it started. */
function postgresCpuMs(postmaster: number | undefined): number {
  if (!postmaster) return NaN;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

interface Result {
  name: string;
  seconds: number;
  nodeCpuMs: number;
  pgCpuMs: number;
  flushes?: number;
  flushMs?: number[];
}

async function viaWriter(pool: Pool, n: number, prefix: string, postmaster?: number): Promise<Result> {
  const entries = Array.from({ length: n }, (_, i) => conversation(i, prefix));
  const flushMs: number[] = [];
  const writer = createRunLogWriter({ pool, log: silentLogger });
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs(postmaster);
  const t0 = performance.now();
  // Interleaved as many runs' workflow tasks reach the sink dispatcher: all starts, then replies, then ends.
  for (const k of [0, 1, 2]) for (const c of entries) writer.record(c[k]);
  let flushes = 0;
  while (writer.stats().queuedEntries > 0) {
    await new Promise((r) => setTimeout(r, 1));
    const s = writer.stats();
    if (s.flushes !== flushes) {
      flushes = s.flushes;
      flushMs.push(s.lastFlushMs);
    }
  }
  await writer.drain();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuMs(postmaster);
  await writer.close();
  return { name: 'run-log writer', seconds, nodeCpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs: pg1 - pg0, flushes: writer.stats().flushes, flushMs };
}

async function viaActivities(pool: Pool, n: number, concurrency: number, prefix: string, postmaster?: number): Promise<Result> {
  const entries = Array.from({ length: n }, (_, i) => conversation(i, prefix));
  const activities = createRunEventActivities({ pool });
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs(postmaster);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < entries.length) {
        const c = entries[next++];
        for (const e of c) if (e.events) await activities.recordRunEvents(e.events);
        await activities.updateRunIndex(c[2].close!);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { name: 'per-run activities', seconds, nodeCpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs: postgresCpuMs(postmaster) - pg0 };
}

/** Record to committed, one entry at a time on an idle writer. */
async function idleLatency(pool: Pool, n: number, prefix: string): Promise<number[]> {
  const writer = createRunLogWriter({ pool, log: silentLogger });
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    writer.record(conversation(i, prefix)[2]);
    await writer.drain();
    samples.push(performance.now() - t0);
  }
  await writer.close();
  return samples;
}

async function main(): Promise<void> {
  const n = Number(arg('conversations') ?? 2000);
  const rounds = Number(arg('rounds') ?? 2);
  const concurrency = Number(arg('concurrency') ?? 8);
  let url = arg('url');
  let stop = async () => undefined;
  let postmaster: number | undefined;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-bench-runlog-'));
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres') });
    url = pg.url;
    postmaster = pg.pid;
    stop = async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  await runMigrations(url);
  const pool = new Pool({ connectionString: url, max: concurrency });
  console.log(`node dist/bench/run-log-writer.js --conversations ${n} --rounds ${rounds} --concurrency ${concurrency}`);
  console.log(
    `${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}`,
  );
  try {
    // Warm-up: connections, plans, the first pages.
    await viaWriter(pool, 200, `warm-w-${randomUUID()}`);
    await viaActivities(pool, 200, concurrency, `warm-a-${randomUUID()}`);
    for (let r = 1; r <= rounds; r++) {
      for (const result of [
        await viaWriter(pool, n, `w-${randomUUID()}`, postmaster),
        await viaActivities(pool, n, concurrency, `a-${randomUUID()}`, postmaster),
      ]) {
        const flushes = result.flushes ? `; ${result.flushes} transactions, ms per flush ${flushSummary(result.flushMs!)}` : `; ${n * 4} transactions`;
        console.log(
          `round ${r} ${result.name.padEnd(18)} ${(n / result.seconds).toFixed(0).padStart(6)} conversations/s, ${((n * 3) / result.seconds).toFixed(0)} entries/s, ` +
            `${((n * 20) / result.seconds).toFixed(0)} events/s; CPU per conversation: node ${(result.nodeCpuMs / n).toFixed(2)} ms, ` +
            `postgres ${(result.pgCpuMs / n).toFixed(2)} ms${flushes}`,
        );
      }
    }
    const lat = summarize(await idleLatency(pool, 200, `lat-${randomUUID()}`));
    console.log(`idle writer, one closing entry (1 event + close) from record to committed: p50 ${ms(lat.p50)}, p95 ${ms(lat.p95)}, p99 ${ms(lat.p99)}`);
  } finally {
    await pool.end();
    await stop();
  }
}

function flushSummary(samples: number[]): string {
  const s = summarize(samples);
  return `p50 ${ms(s.p50)} / max ${ms(s.max)}`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
