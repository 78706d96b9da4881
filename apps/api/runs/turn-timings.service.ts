import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { RunsDb } from '../../../libs/runs-index/run-index.repository';
import { isDatabaseUnavailable } from '../common/dependency-errors';
import { RUNS_DB } from './run-index.provider';

/** One customer chat turn answered within the turn, as the API saw it. */
export interface TurnTiming {
  runId: string;
  /** Epoch ms when the API received the message; the interpreter copies it into `message.in`. */
  receivedAt: number;
  /** Epoch ms when the API had the replies. */
  repliedAt: number;
}

/** Written when this many are waiting, or after FLUSH_MS, whichever comes first. */
const FLUSH_ROWS = 200;
const FLUSH_MS = 250;
/** Beyond this backlog (the database is down), the oldest timings are dropped, not the API. */
const MAX_PENDING = 20_000;
/** While the database is unreachable, a batch is tried again this often (it stays in the backlog). */
const RETRY_MS = 1_000;

/**
 * Records the response time of chat turns in `chat_turn_timings` (see migration
 * 1764350000000-ChatTurnTimings), off the chat turn's path: timings are buffered and written in one
 * statement per batch, so a busy API adds one insert per quarter second, not one per turn. While
 * PostgreSQL is unreachable (a restart) the batches wait in memory and are written once it is back.
 * A crash of the API loses at most the timings not written yet; those turns then fall back to the workflow's own stamps in the KPI
 * (libs/kpis/facts.ts), which is less exact, never missing.
 */
@Injectable()
export class TurnTimingsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('TurnTimings');
  private pending: TurnTiming[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  dropped = 0;

  /** Plain SQL over the API's `pg` pool, the data-access style of the run module (see libs/runs-index). */
  constructor(@Inject(RUNS_DB) private readonly db: RunsDb) {}

  record(timing: TurnTiming): void {
    this.pending.push(timing);
    this.trimBacklog();
    if (this.pending.length >= FLUSH_ROWS) void this.flush();
    else this.schedule(FLUSH_MS);
  }

  private trimBacklog(): void {
    if (this.pending.length > MAX_PENDING) {
      this.dropped += this.pending.length - MAX_PENDING;
      this.pending.splice(0, this.pending.length - MAX_PENDING);
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref();
  }

  /** Writes everything recorded so far; resolves once it is stored (or logged as failed). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    // One write at a time keeps the batches in order and the pool free for chat turns.
    this.writing = this.writing.then(() => (batch.length ? this.write(batch) : undefined));
    return this.writing;
  }

  private async write(batch: TurnTiming[]): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO chat_turn_timings (run_id, received_ms, replied_at, response_ms)
         SELECT r, t, to_timestamp(d / 1000.0), greatest(0, d - t)
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS x(r, t, d)
         ON CONFLICT (run_id, received_ms) DO NOTHING`,
        [batch.map((b) => b.runId), batch.map((b) => Math.round(b.receivedAt)), batch.map((b) => Math.round(b.repliedAt))],
      );
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        // A database restart: keep the batch (oldest first, within the backlog bound) and try again.
        this.logger.warn(`${batch.length} chat turn timings not stored yet (database unavailable); retrying in ${RETRY_MS} ms`);
        this.pending = [...batch, ...this.pending];
        this.trimBacklog();
        this.schedule(RETRY_MS);
        return;
      }
      // Timings refine a KPI; losing a batch must not fail chat turns (the KPI falls back, see above).
      this.logger.warn(`${batch.length} chat turn timings not stored: ${(err as Error).message}`);
      this.dropped += batch.length;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
