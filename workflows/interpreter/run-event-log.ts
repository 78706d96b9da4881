import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { FlowActivities } from '../../contracts/activities';
import type { RecordedRunEvent } from '../../contracts/run-events';
import type { FlowRunInput } from '../../contracts/run';

const RECORD_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds', backoffCoefficient: 2 },
} as const;
const { recordRunEvents } = proxyActivities<FlowActivities>(RECORD_OPTIONS);
/** The last flush of a closing run (see finish() and the finish-with-local-activities patch). */
const local = proxyLocalActivities<Pick<FlowActivities, 'recordRunEvents'>>(RECORD_OPTIONS);

/**
 * The run events a run recorded and has not written yet: numbered in order, buffered, and written
 * in batches by one `recordRunEvents` activity each, so the KPIs see them without one activity per
 * event. `Run.emit` (run.ts) is the typed way in; this class only keeps and sends what it is given.
 */
export class RunEventLog {
  private seq = 0;
  private buffer: RecordedRunEvent[] = [];
  private flushes: Promise<unknown>[] = [];
  private idleFlushScheduled = false;

  constructor(
    private readonly runId: string,
    private readonly input: FlowRunInput,
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
    const batch = { runId: this.runId, flowId: this.input.flowId, version: this.input.version, customerId: this.input.customerId, events };
    // Test runs of drafts from the editor's simulator do not feed the KPIs.
    if (this.input.test) return;
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

  /** Writes the buffered events once they have waited `idleMs`, whatever the run does meanwhile. */
  scheduleIdleFlush(idleMs: number): void {
    if (this.idleFlushScheduled || this.buffer.length === 0 || this.input.test) return;
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
