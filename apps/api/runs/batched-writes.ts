import { Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../common/dependency-errors';

export interface BatchedWritesOptions<T> {
  /** What the rows are, for the log ("chat turn timings"). */
  what: string;
  /** Writes one batch in one statement; throws to keep (database unavailable) or drop (anything else) it. */
  write: (batch: T[]) => Promise<void>;
  /** Written when this many are waiting, or after flushMs, whichever comes first. */
  flushRows: number;
  flushMs: number;
  /** Beyond this backlog (the database is down), the oldest rows are dropped, not the API. */
  maxPending: number;
  /** While the database is unreachable, a batch is tried again this often (it stays in the backlog). */
  retryMs: number;
  /** Rows that will never be written (the backlog overflowed, or PostgreSQL refused their data). */
  onDropped?: (rows: T[]) => void;
}

/**
 * Rows the API writes off the request's path, many requests' rows in one statement: a request adds
 * its row and answers; a batch goes when flushRows are waiting or flushMs after the first one, one
 * write at a time (in order, and the pool stays free for requests). While PostgreSQL is unreachable
 * (a restart) the batches wait in memory, within maxPending, and are written once it is back.
 * What a crash of the API loses: the rows not written yet, at most the last flushMs of them (plus a
 * backlog that was waiting for the database). Each user says what that costs its readers.
 */
export class BatchedWrites<T> {
  private readonly logger: Logger;
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(private readonly options: BatchedWritesOptions<T>) {
    this.logger = new Logger(`BatchedWrites(${options.what})`);
  }

  add(row: T): void {
    this.pending.push(row);
    this.trimBacklog();
    if (this.pending.length >= this.options.flushRows) void this.flush();
    else this.schedule(this.options.flushMs);
  }

  /** Writes everything added so far; resolves once it is stored (or logged as failed). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => (batch.length ? this.write(batch) : undefined));
    return this.writing;
  }

  private trimBacklog(): void {
    const over = this.pending.length - this.options.maxPending;
    if (over > 0) this.drop(this.pending.splice(0, over));
  }

  private drop(rows: T[]): void {
    this.dropped += rows.length;
    this.options.onDropped?.(rows);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref();
  }

  private async write(batch: T[]): Promise<void> {
    try {
      await this.options.write(batch);
    } catch (err) {
      if (isDatabaseUnavailable(err) || isTransient(err)) {
        // A database restart, or a deadlock with another writer: keep the batch (oldest first, within the backlog bound) and try again.
        this.logger.warn(`${batch.length} ${this.options.what} not stored yet (${(err as Error).message}); retrying in ${this.options.retryMs} ms`);
        this.pending = [...batch, ...this.pending];
        this.trimBacklog();
        this.schedule(this.options.retryMs);
        return;
      }
      // Retrying a batch PostgreSQL refused for its data would never succeed.
      this.logger.warn(`${batch.length} ${this.options.what} not stored: ${(err as Error).message}`);
      this.drop(batch);
    }
  }
}

/** A serialization failure or a deadlock: the same statement succeeds when tried again. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}
