import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { RunsDb } from '../../../libs/runs-index/run-index.repository';
import { BatchedWrites } from './batched-writes';
import { RUNS_DB } from './run-index.provider';

/** One customer chat turn answered within the turn, as the API saw it. */
export interface TurnTiming {
  runId: string;
  /** Epoch ms when the API received the message; the interpreter copies it into `message.in`. */
  receivedAt: number;
  /** Epoch ms when the API had the replies. */
  repliedAt: number;
}

/**
 * Records the response time of chat turns in `chat_turn_timings` (see migration
 * 1764350000000-ChatTurnTimings), off the chat turn's path: timings are buffered and written in one
 * statement per batch (batched-writes.ts), so a busy API adds one insert a second (or per 200 turns),
 * not one per turn, and a chat turn itself costs no query.
 * A crash of the API loses the timings not written yet: at most the last second's. Those turns do
 * not go missing from the KPI: libs/kpis/facts.ts (`turns`, "best source first") then takes the
 * first reply's time (the workflow's `message.out`) against the API's receipt of the message (the
 * `receivedAt` the interpreter copies into `message.in`), which adds the workflow's side of the
 * turn but not the API's: a little less exact, never missing.
 */
@Injectable()
export class TurnTimingsService implements BeforeApplicationShutdown {
  private readonly batches: BatchedWrites<TurnTiming>;

  /** Plain SQL over the API's `pg` pool, the data-access style of the run module (see libs/runs-index). */
  constructor(@Inject(RUNS_DB) db: RunsDb) {
    this.batches = new BatchedWrites<TurnTiming>({
      what: 'chat turn timings',
      flushRows: 200,
      flushMs: 1_000,
      maxPending: 20_000,
      retryMs: 1_000,
      write: async (batch) => {
        await db.query(
          `INSERT INTO chat_turn_timings (run_id, received_ms, replied_at, response_ms)
           SELECT r, t, to_timestamp(d / 1000.0), greatest(0, d - t)
           FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS x(r, t, d)
           ON CONFLICT (run_id, received_ms) DO NOTHING`,
          [batch.map((b) => b.runId), batch.map((b) => Math.round(b.receivedAt)), batch.map((b) => Math.round(b.repliedAt))],
        );
      },
    });
  }

  /** Timings dropped so far (the backlog overflowed while the database was down, or it refused a batch). */
  get dropped(): number {
    return this.batches.dropped;
  }

  record(timing: TurnTiming): void {
    this.batches.add(timing);
  }

  /** Writes everything recorded so far; resolves once it is stored (or logged as failed). */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
