import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { RunIndexRepository, type RunsDb } from '../../../libs/runs-index/run-index.repository';
import { BatchedWrites } from './batched-writes';
import { RUNS_DB } from './run-index.provider';

interface Delivered {
  runId: string;
  until: Date;
}

/**
 * Which opening messages a start already returned, so the run's first customer turn does not
 * return them again. The `opening` Update only peeks at them (workflows/interpreter/flow-run.workflow.ts,
 * `takeReplies('customer', true)`): the workflow cannot know whether the start's answer reached the
 * client, so the first `message` Update answers with them too, and the API filters that answer by
 * time (chat-turn.service.ts, replies at or before the cutoff are left out).
 *
 * The cutoff is no longer written before the start answers (it was one UPDATE per start): this
 * process keeps it (RunLookup reads it here until it is stored) and writes the cutoffs of many
 * starts to their runs' `replies_delivered_until` in one statement a second (batched-writes.ts).
 * What a client sees:
 * - The start answered with the opening: its first turn, on this API process, answers only what the
 *   bot said after them. On another process too, once the batch is written (within ~1 s).
 * - The start timed out waiting for the opening (OPENING_WAIT_MS) and answered without it: no
 *   cutoff; the first turn answers with the opening messages and then its own replies, so the
 *   client sees them once, there.
 * - The first message goes to another API process within the second after the start answered, or
 *   the process that answered the start crashed before writing the batch: that turn answers with the
 *   opening messages again before its own replies. They are shown twice, never lost.
 */
@Injectable()
export class RepliesDeliveredService implements BeforeApplicationShutdown {
  private readonly batches: BatchedWrites<Delivered>;
  /** The cutoffs not written yet, by run: what RunLookup adds to a row read meanwhile. */
  private readonly unwritten = new Map<string, Date>();

  constructor(@Inject(RUNS_DB) db: RunsDb) {
    const runIndex = new RunIndexRepository(db);
    this.batches = new BatchedWrites<Delivered>({
      what: 'opening reply cutoffs',
      flushRows: 200,
      flushMs: 1_000,
      maxPending: 20_000,
      retryMs: 1_000,
      write: async (batch) => {
        await runIndex.recordRepliesDeliveredMany(batch);
        this.forget(batch);
      },
      onDropped: (rows) => this.forget(rows),
    });
  }

  /** The start returned the run's replies up to `until`. */
  record(runId: string, until: Date): void {
    this.unwritten.set(runId, until);
    this.batches.add({ runId, until });
  }

  /** The cutoff of a run this process started and has not written yet. */
  unwrittenCutoff(runId: string): Date | null {
    return this.unwritten.get(runId) ?? null;
  }

  flush(): Promise<void> {
    return this.batches.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private forget(rows: Delivered[]): void {
    for (const r of rows) if (this.unwritten.get(r.runId) === r.until) this.unwritten.delete(r.runId);
  }
}
