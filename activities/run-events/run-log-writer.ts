import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import { consoleLogger, type Logger } from '../../libs/runtime/log';
import { RunEventRepository } from '../../libs/run-events/run-event.repository';
import { RunIndexRepository } from '../../libs/runs-index/run-index.repository';
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
 * - One flush at a time. An idle writer starts one at once; entries recorded meanwhile wait and the
 *   next flush takes them all (up to `maxBatchEntries`), so under load one commit serves many runs
 *   and a quiet worker adds no timer delay. One flush in flight also keeps each run's entries in order.
 * - A flush is one transaction: one INSERT for every event of every entry, one upsert for every close.
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

export function createRunLogWriter({ pool, log = consoleLogger('run-log'), maxBatchEntries = 500, retry = {} }: RunLogWriterOptions): RunLogWriter {
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
  let delayMs = initialMs;
  let outage: { since: number; attempts: number } | undefined;
  let warnedBacklog = false;
  let closed = false;
  let halted = false;
  const counts = { flushes: 0, entries: 0, events: 0, closes: 0, lastFlushMs: 0, lastFlushEntries: 0, failures: 0, fallbacks: 0, dropped: 0 };
  // The fallback: the activity's per-event quarantine, over the pool (each insert commits alone; all idempotent).
  const oneByOne = createRunEventActivities({ pool: pool as Pool });
  const poolIndex = new RunIndexRepository(pool);

  function kick(): void {
    if (flushing || retryTimer || halted || head === queue.length) return;
    flushing = true;
    void flushAll();
  }

  async function flushAll(): Promise<void> {
    try {
      while (head < queue.length && !halted) {
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
  }

  /** The entries of the next flush, taken only once a connection is at hand (so everything recorded while waiting for it joins). */
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
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return failed(err);
    }
    const batch = nextBatch();
    const started = performance.now();
    let result: { events: number; closes: number };
    try {
      result = await inTransaction(client, batch);
      client.release();
    } catch (err) {
      if (!isRefusedValue(err)) {
        client.release(err instanceof Error ? err : true);
        return failed(err);
      }
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!rolledBack);
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

  async function inTransaction(client: PoolClient, batch: RunLogEntry[]): Promise<{ events: number; closes: number }> {
    await client.query('BEGIN');
    const events = await new RunEventRepository(client).insertBatches(batch.flatMap((e) => (eventCount(e) > 0 ? [sanitizeBatch(e.events!)] : [])));
    const closes = await new RunIndexRepository(client).applyIndexCloses(batch.flatMap((e) => (e.close ? [sanitizeClose(e.close)] : [])));
    await client.query('COMMIT');
    return { events, closes };
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
    for (const e of batch) queuedEvents -= eventCount(e);
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

  function waitFor(upTo: number): Promise<void> {
    if (written >= upTo) return Promise.resolve();
    return new Promise((resolve, reject) => waiters.push({ upTo, resolve, reject }));
  }

  function halt(reason: Error): void {
    halted = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
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
