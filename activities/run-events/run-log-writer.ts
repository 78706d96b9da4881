import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { consoleLogger, type Logger } from '../../libs/runtime/log';
import { countedWrites, type Statement } from '../../libs/db/statement';
import { insertBatchesStatement } from '../../libs/run-events/run-event.repository';
import { indexClosesStatement, RunIndexRepository } from '../../libs/runs-index/run-index.repository';
import type { RunIndexUpdate } from '../../contracts/activities';
import type { RunLogEntry } from '../../contracts/run-log';
import { errorMessage } from '../errors';
import { createRunEventActivities, sanitizeBatch } from './run-events.activities';
import { sanitizeText } from './sanitize';

/**
 * The worker's run-log writer: the run events and closing index rows that runs hand over through
 * the `runLog` sink (contracts/run-log.ts), written for many runs in one transaction (group commit).
 *
 * - `record` only queues and never throws: it runs in the worker's sink dispatcher.
 * - An entry of events waits up to `lingerMs` for others before the flush that takes it, so under
 *   load one statement serves many runs: a flush per entry cost more CPU (in this process and in
 *   PostgreSQL) than the rows themselves. A run's close does not wait (nor does a full batch, a
 *   `drain` or a `close`): the API reads a closed run's status and outcome from its row, so the row
 *   closes as soon as the run does, and takes the lingering events with it. One flush at a time,
 *   which keeps each run's entries in order.
 * - A flush is one statement (one implicit transaction): the INSERT of every event of every entry
 *   and the upsert of every close, joined as data-modifying CTEs (libs/db/statement.ts).
 * - PostgreSQL refusing a value (SQLSTATE classes 22, 23, 54) never costs other runs: that flush is
 *   written again entry by entry through the `recordRunEvents` activity's code, which quarantines
 *   only the refused event. What is then still refused is lost, logged: the events of an entry whose
 *   own run values are bad (a flow id that is not a UUID; the activity could never store them either)
 *   and a close with a bad value (its row stays open and the runs reconciler closes it).
 * - Any other error (PostgreSQL restarting, a cut connection, an exhausted pool) keeps the entries
 *   at the head of the queue and retries with backoff, logging once per outage. Nothing is dropped
 *   while the writer runs, however long the outage (a warning past QUEUE_WARN_EVENTS, no cap): the
 *   queue is memory only, and what a crash or a `close` deadline loses comes back only by replay
 *   (an open run replayed on another worker hands its entries over again; the runs reconciler
 *   rebuilds a closed run whose close was lost), so dropping on a full queue would lose for good.
 * - Writing twice is harmless: events conflict on (run_id, seq), a closed row never changes again.
 */

export interface RunLogWriterOptions {
  pool: Pick<Pool, 'connect' | 'query'>;
  log?: Logger;
  /** Entries per transaction at most (default 500; a one-turn conversation is a few entries). */
  maxBatchEntries?: number;
  /**
   * How long an entry of events waits for others before it is written (default LINGER_MS); a close
   * is written at once. 0 writes everything at once. Readers of run events see them this much later at most.
   */
  lingerMs?: number;
  /** Backoff after a failed flush: from `initialMs` (200) doubling up to `maxMs` (5,000). */
  retry?: { initialMs?: number; maxMs?: number };
}

export interface RunLogWriterStats {
  queuedEntries: number;
  queuedEvents: number;
  /** Transactions committed (a flush written entry by entry counts once). */
  flushes: number;
  /** Entries written (or given up, see `dropped`). */
  entries: number;
  /** Event rows inserted (a repeated event is not counted). */
  events: number;
  /** `runs` rows created or closed. */
  closes: number;
  lastFlushMs: number;
  lastFlushEntries: number;
  /** Flush attempts that failed and were retried. */
  failures: number;
  /** Flushes written entry by entry because PostgreSQL refused a value. */
  fallbacks: number;
  /** Events or closes PostgreSQL refused even alone (logged each time). */
  dropped: number;
}

export interface RunLogWriter {
  record(entry: RunLogEntry): void;
  /** Resolves once every entry recorded before the call is written; rejects once the writer is closed. */
  drain(): Promise<void>;
  stats(): RunLogWriterStats;
  /** Drains, then stops. With `timeoutMs`, gives up after it (rejects, saying how many entries are not written). */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * The default linger of run events. Before it (and before a flush was one statement), four
 * concurrent one-turn conversations (bench/engine-floor.ts's) made 1.7 flushes of 3-4 round trips
 * per conversation, ~3 ms of this process's CPU and ~3 ms of PostgreSQL's; with it, 0.7 statements.
 * A run's events reach the table at most this much later, which no reader waits on (the chat turn
 * answers from the workflow, a run's page from its live state, and a close is written at once).
 */
export const LINGER_MS = 100;

/** Above this many queued events the writer warns (it still drops nothing). */
export const QUEUE_WARN_EVENTS = 100_000;
/** A flush stops taking entries past this many events, so one statement stays a few MB at most. */
const MAX_BATCH_EVENTS = 20_000;

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** PostgreSQL refused one of the values (data exception, integrity violation, program limit): no retry will change that. */
function isRefusedValue(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

function eventCount(entry: RunLogEntry): number {
  return entry.events?.events.length ?? 0;
}

/** What makes an entry unusable whatever PostgreSQL says (it came through the sink, so its shape is not checked by types). */
function malformed(entry: RunLogEntry): string | undefined {
  if (entry === null || typeof entry !== 'object') return 'not an object';
  const { events, close } = entry;
  if (events !== undefined && (typeof events?.runId !== 'string' || !Array.isArray(events.events))) return 'events without a run id or a list';
  if (close !== undefined && (typeof close?.runId !== 'string' || typeof close.status !== 'string')) return 'a close without a run id or a status';
  return undefined;
}

function sanitizeClose(c: RunIndexUpdate): RunIndexUpdate {
  const out: RunIndexUpdate = { ...c, status: sanitizeText(c.status) };
  for (const key of ['customerId', 'startKey', 'outcome', 'currentNode'] as const) {
    const v = c[key];
    if (v !== undefined) out[key] = sanitizeText(v);
  }
  return out;
}

export function createRunLogWriter({
  pool,
  log = consoleLogger('run-log'),
  maxBatchEntries = 500,
  lingerMs = LINGER_MS,
  retry = {},
}: RunLogWriterOptions): RunLogWriter {
  const initialMs = retry.initialMs ?? 200;
  const maxMs = retry.maxMs ?? 5_000;
  // Entries in recording order; those before `head` are written. Written entries leave in order,
  // so `written` (entries ever written) tells a drain whether its entries are in.
  let queue: RunLogEntry[] = [];
  let head = 0;
  let recorded = 0;
  let written = 0;
  let queuedEvents = 0;
  let waiters: Waiter[] = [];
  let flushing = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let flushSoon: NodeJS.Immediate | undefined;
  // Entries up to this count are flushed without lingering (a drain or a close waits for them).
  let urgentUpTo = 0;
  // Closes queued and not written yet: they never linger.
  let queuedCloses = 0;
  let delayMs = initialMs;
  let outage: { since: number; attempts: number } | undefined;
  let warnedBacklog = false;
  let closed = false;
  let halted = false;
  const counts = { flushes: 0, entries: 0, events: 0, closes: 0, lastFlushMs: 0, lastFlushEntries: 0, failures: 0, fallbacks: 0, dropped: 0 };
  // The fallback: the activity's per-event quarantine, over the pool (each insert commits alone; all idempotent).
  const oneByOne = createRunEventActivities({ pool: pool as Pool });
  const poolIndex = new RunIndexRepository(pool);

  /** Whether the queued entries go now: a run's close, a full batch, a drain or close waiting, or no linger. */
  function due(): boolean {
    return lingerMs <= 0 || queuedCloses > 0 || queue.length - head >= maxBatchEntries || written < urgentUpTo;
  }

  function kick(): void {
    if (flushing || retryTimer || halted || head === queue.length) return;
    if (!due()) {
      lingerTimer ??= setTimeout(() => {
        lingerTimer = undefined;
        flush();
      }, lingerMs);
      return;
    }
    // Not in this tick: what the sink dispatcher hands over in the same turn joins the flush.
    flushSoon ??= setImmediate(() => {
      flushSoon = undefined;
      flush();
    });
  }

  function flush(): void {
    if (flushing || retryTimer || halted || head === queue.length) return;
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = undefined;
    flushing = true;
    void flushAll();
  }

  async function flushAll(): Promise<void> {
    try {
      // The first batch goes whatever is due (its linger is over); what came meanwhile lingers in turn unless due.
      for (let first = true; head < queue.length && !halted && (first || due()); first = false) {
        const ok = await flushOnce().catch((err: unknown) => failed(err));
        if (!ok) {
          if (halted) return;
          // The same entries go first at the next attempt.
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            kick();
          }, delayMs);
          delayMs = Math.min(delayMs * 2, maxMs);
          return;
        }
      }
    } finally {
      // In the same step as the last check of the queue: an entry recorded after it finds no flush running and starts one.
      flushing = false;
    }
    // Entries recorded during the flush that were not due: their linger starts now.
    if (!retryTimer) kick();
  }

  /** The entries of the next flush: everything queued, up to `maxBatchEntries` entries and MAX_BATCH_EVENTS events. */
  function nextBatch(): RunLogEntry[] {
    let end = head;
    let events = 0;
    while (end < queue.length && end - head < maxBatchEntries && (end === head || events + eventCount(queue[end]) <= MAX_BATCH_EVENTS)) {
      events += eventCount(queue[end]);
      end++;
    }
    return queue.slice(head, end);
  }

  /** Writes the next batch; false when it must be tried again later. */
  async function flushOnce(): Promise<boolean> {
    const batch = nextBatch();
    const started = performance.now();
    let result: { events: number; closes: number };
    try {
      result = await inOneStatement(batch);
    } catch (err) {
      if (!isRefusedValue(err)) return failed(err);
      // One statement: PostgreSQL rolled all of it back.
      try {
        result = await entryByEntry(batch);
      } catch (again) {
        return failed(again);
      }
      counts.fallbacks++;
    }
    done(batch, result, performance.now() - started);
    return true;
  }

  /** The batch as one statement: every event and every close, or nothing. */
  async function inOneStatement(batch: RunLogEntry[]): Promise<{ events: number; closes: number }> {
    const events = insertBatchesStatement(batch.flatMap((e) => (eventCount(e) > 0 ? [sanitizeBatch(e.events!)] : [])));
    const closes = indexClosesStatement(
      batch.flatMap((e) => (e.close ? [sanitizeClose(e.close)] : [])),
      (events?.values.length ?? 0) + 1,
    );
    const parts = [events, closes].filter((p): p is Statement => p !== null);
    const { rows } = await pool.query<Record<string, number>>(countedWrites(parts));
    const counted = parts.map((_, i) => rows[0][`c${i}`]);
    return { events: events ? counted[0] : 0, closes: closes ? counted[counted.length - 1] : 0 };
  }

  /** After PostgreSQL refused a value in a flush: each entry alone, so only what it refuses is lost. A connection error throws (the flush is retried). */
  async function entryByEntry(batch: RunLogEntry[]): Promise<{ events: number; closes: number }> {
    const result = { events: 0, closes: 0 };
    for (const entry of batch) {
      if (eventCount(entry) > 0) {
        try {
          result.events += await oneByOne.recordRunEvents(entry.events!);
        } catch (err) {
          if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
          counts.dropped += eventCount(entry);
          log.error(`${entry.events!.runId}: ${eventCount(entry)} run events not stored, PostgreSQL refuses the run's own values: ${errorMessage(err)}`);
        }
      }
      if (entry.close) {
        try {
          result.closes += await poolIndex.applyIndexCloses([sanitizeClose(entry.close)]);
        } catch (err) {
          if (!isRefusedValue(err)) throw err;
          counts.dropped++;
          log.error(`${entry.close.runId}: its close (${entry.close.status}) not stored, the runs reconciler will close its row: ${errorMessage(err)}`);
        }
      }
    }
    return result;
  }

  function failed(err: unknown): false {
    counts.failures++;
    if (outage) outage.attempts++;
    else {
      outage = { since: Date.now(), attempts: 1 };
      log.warn(`cannot write to PostgreSQL (${errorMessage(err)}); keeping ${head === queue.length ? 0 : queue.length - head} entries and retrying`);
    }
    return false;
  }

  function done(batch: RunLogEntry[], result: { events: number; closes: number }, ms: number): void {
    if (outage) {
      log.info(`writing again after ${Date.now() - outage.since} ms and ${outage.attempts} failed attempts`);
      outage = undefined;
    }
    delayMs = initialMs;
    head += batch.length;
    written += batch.length;
    for (const e of batch) {
      queuedEvents -= eventCount(e);
      if (e.close) queuedCloses--;
    }
    if (queuedEvents < QUEUE_WARN_EVENTS) warnedBacklog = false;
    // Forget written entries once they are most of the array (amortised; no shift per flush).
    if (head === queue.length || head > 1024) {
      queue = queue.slice(head);
      head = 0;
    }
    Object.assign(counts, {
      flushes: counts.flushes + 1,
      entries: counts.entries + batch.length,
      events: counts.events + result.events,
      closes: counts.closes + result.closes,
      lastFlushMs: ms,
      lastFlushEntries: batch.length,
    });
    const ready = waiters.filter((w) => w.upTo <= written);
    waiters = waiters.filter((w) => w.upTo > written);
    for (const w of ready) w.resolve();
  }

  /** Resolves once `upTo` entries are written; those not written yet stop lingering. */
  function waitFor(upTo: number): Promise<void> {
    if (written >= upTo) return Promise.resolve();
    urgentUpTo = Math.max(urgentUpTo, upTo);
    flush();
    return new Promise((resolve, reject) => waiters.push({ upTo, resolve, reject }));
  }

  function halt(reason: Error): void {
    halted = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = undefined;
    if (flushSoon) clearImmediate(flushSoon);
    flushSoon = undefined;
    for (const w of waiters) w.reject(reason);
    waiters = [];
  }

  let closing: Promise<void> | undefined;

  return {
    record(entry) {
      try {
        if (closed) {
          log.error(
            `recorded after close, not written: ${entry.events?.runId ?? entry.close?.runId} (${eventCount(entry)} events${entry.close ? ', its close' : ''})`,
          );
          return;
        }
        const wrong = malformed(entry);
        if (wrong) {
          log.error(`a malformed entry was not recorded: ${wrong}`);
          return;
        }
        if (eventCount(entry) === 0 && !entry.close) return;
        queue.push(entry);
        recorded++;
        if (entry.close) queuedCloses++;
        queuedEvents += eventCount(entry);
        if (queuedEvents > QUEUE_WARN_EVENTS && !warnedBacklog) {
          warnedBacklog = true;
          log.warn(`${queuedEvents} run events waiting for PostgreSQL (kept in memory, none dropped)`);
        }
        kick();
      } catch (err) {
        // Never into the sink dispatcher: a malformed entry is logged, not thrown.
        log.error(`an entry could not be recorded: ${errorMessage(err)}`);
      }
    },

    drain() {
      if (closed) return Promise.reject(new Error('the run log writer is closed'));
      return waitFor(recorded);
    },

    stats() {
      return { queuedEntries: queue.length - head, queuedEvents, ...counts };
    },

    close({ timeoutMs } = {}) {
      if (closing) return closing;
      closed = true;
      const drained = waitFor(recorded);
      if (timeoutMs === undefined) return (closing = drained.finally(() => halt(new Error('the run log writer is closed'))));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const left = queue.length - head;
          const err = new Error(`the run log writer closed with ${left} entries (${queuedEvents} events) not written after ${timeoutMs} ms`);
          halt(err);
          reject(err);
        }, timeoutMs);
      });
      return (closing = Promise.race([drained, expired]).finally(() => {
        clearTimeout(timer);
        halt(new Error('the run log writer is closed'));
      }));
    },
  };
}
