import { proxyActivities, proxyLocalActivities, proxySinks, sleep } from '@temporalio/workflow';
import type { FlowActivities, RunEventBatch, RunIndexUpdate } from '../../contracts/activities';
import type { RunLogSinks } from '../../contracts/run-log';
import type { RecordedRunEvent } from '../../contracts/run-events';
import type { FlowRunInput } from '../../contracts/run';

const RECORD_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds', backoffCoefficient: 2 },
} as const;
const { recordRunEvents } = proxyActivities<FlowActivities>(RECORD_OPTIONS);
/** The last flush of a closing run (see finish() and the finish-with-local-activities patch). */
const local = proxyLocalActivities<Pick<FlowActivities, 'recordRunEvents'>>(RECORD_OPTIONS);
const { runLog } = proxySinks<RunLogSinks>();

/**
 * The run events a run recorded and has not written yet: numbered in order, buffered, and sent in
 * batches. `Run.emit` (run.ts) is the typed way in; this class only keeps and sends what it is given.
 *
 * Through the run-log sink (flowRunV2, `viaSink`): a batch at every wait and one last entry with
 * the closing index row; no history event, no activity, so flushing often is free. Through
 * `recordRunEvents` activities (runs recorded before): one activity per batch, when 100 are
 * buffered, at long waits, after an idle window, and at the end.
 */
export class RunEventLog {
  private seq = 0;
  private buffer: RecordedRunEvent[] = [];
  private flushes: Promise<unknown>[] = [];
  private idleFlushScheduled = false;

  constructor(
    private readonly runId: string,
    private readonly input: FlowRunInput,
    /** The run-log sink (free to call, so every wait flushes) instead of activities. */
    readonly viaSink = false,
  ) {}

  /** Appends one event with the next sequence number; `(run_id, seq)` makes a retried batch harmless. */
  append(type: string, nodeId: string | undefined, data: Record<string, unknown> | undefined, at: string): void {
    const seq = ++this.seq;
    this.buffer.push(nodeId ? (data ? { seq, type, nodeId, data, at } : { seq, type, nodeId, at }) : data ? { seq, type, data, at } : { seq, type, at });
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Sends the buffered events in one activity, without blocking the run; `drain` awaits them all. */
  flush(viaLocalActivity = false): void {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    const batch = this.batchOf(events);
    // Test runs of drafts from the editor's simulator do not feed the KPIs.
    if (this.input.test) return;
    if (this.viaSink) return runLog.record({ events: batch });
    const pending = (viaLocalActivity ? local.recordRunEvents : recordRunEvents)(batch).catch(() => undefined);
    this.flushes.push(pending);
  }

  /** Waits for flushes already sent, without sending the buffer (continue-as-new carries it). */
  async settle(): Promise<void> {
    const pending = this.flushes;
    this.flushes = [];
    if (pending.length) await Promise.all(pending);
  }

  async drain(viaLocalActivity = false): Promise<void> {
    this.flush(viaLocalActivity);
    const pending = this.flushes;
    this.flushes = [];
    if (pending.length) await Promise.all(pending);
  }

  /**
   * The run's last entry through the sink: its remaining events and its closing index row together,
   * so the writer commits them in one transaction (a closed row means every event is in).
   */
  close(update: RunIndexUpdate | undefined): void {
    const events = this.buffer;
    this.buffer = [];
    if (this.input.test) return;
    runLog.record({ ...(events.length ? { events: this.batchOf(events) } : {}), ...(update ? { close: update } : {}) });
  }

  private batchOf(events: RecordedRunEvent[]): RunEventBatch {
    return { runId: this.runId, flowId: this.input.flowId, version: this.input.version, customerId: this.input.customerId, events };
  }

  /** Writes the buffered events once they have waited `idleMs`, whatever the run does meanwhile. */
  scheduleIdleFlush(idleMs: number): void {
    if (this.viaSink || this.idleFlushScheduled || this.buffer.length === 0 || this.input.test) return;
    this.idleFlushScheduled = true;
    sleep(idleMs).then(
      () => {
        this.idleFlushScheduled = false;
        this.flush();
      },
      () => {
        this.idleFlushScheduled = false;
      },
    );
  }

  /** What continue-as-new carries: the unwritten events and the sequence they continue. */
  carried(): { pendingEvents: RecordedRunEvent[]; seq: number } {
    return { pendingEvents: this.buffer, seq: this.seq };
  }

  restore(pendingEvents: RecordedRunEvent[] | undefined, seq: number): void {
    this.buffer = [...(pendingEvents ?? [])];
    this.seq = seq;
  }
}
