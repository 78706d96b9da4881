import { condition } from '@temporalio/workflow';
import type { RunLimits, RunStatus, WaitingFor } from '../../contracts/run';
import type { Patches } from './patches';
import type { RunEventLog } from './run-event-log';

/** What a wait reads and sets on its run (run.ts). */
export interface WaitingRun {
  status: RunStatus;
  waitingFor: WaitingFor;
  stepsSinceWait: number;
  workSinceWait: number;
  readonly limits: RunLimits;
  readonly patches: Patches;
  readonly log: RunEventLog;
  readonly finished: boolean;
  now(): number;
}

/**
 * The run's durable waits, and whether it is idle: a chat turn (an Update) returns once the main
 * loop is blocked in a wait and nothing that wait needs has arrived, or once the run is finished.
 */
export class RunWaits {
  /** Set while the main loop is blocked in a wait; `wakeup` is what would unblock it. */
  private blocked = false;
  private wakeup: () => boolean = () => false;

  constructor(private readonly run: WaitingRun) {}

  /**
   * Blocks the run until `ready()` or the deadline (epoch ms). While blocked, the run counts as idle
   * for the chat turn, and buffered run events are flushed when the wait goes on for a while.
   * Returns false on timeout.
   */
  async until(kind: WaitingFor, ready: () => boolean, deadline?: number): Promise<boolean> {
    if (ready()) return true;
    const run = this.run;
    run.waitingFor = kind;
    run.status = 'waiting';
    this.blocked = true;
    this.wakeup = ready;
    run.stepsSinceWait = 0;
    run.workSinceWait = 0;
    try {
      const remainingMs = () => (deadline === undefined ? undefined : Math.max(0, deadline - run.now()));
      if (run.log.viaSink) {
        // A sink costs no history event: hand over what happened at every wait, and wait plainly.
        run.log.flush();
        const remaining = remainingMs();
        return remaining === undefined ? (await condition(ready), true) : await condition(ready, remaining);
      }
      for (;;) {
        // Conversations that wait for a reply flush on idle; other waits are long, so flush now.
        if (kind !== 'reply' && kind !== 'agent') run.log.flush();
        else if (run.log.size >= run.limits.flushThreshold) run.log.flush();
        const remaining = remainingMs();
        if (run.patches.sharedIdleFlushTimer) {
          // One timer per idle window, started with the first unwritten event and kept across turns:
          // a chat turn then adds no timer to the history (measured in bench/chat-turn.ts).
          run.log.scheduleIdleFlush(run.limits.flushIdleMs);
          return remaining === undefined ? (await condition(ready), true) : await condition(ready, remaining);
        }
        const slice = run.log.size > 0 ? Math.min(remaining ?? Infinity, run.limits.flushIdleMs) : remaining;
        const woke = slice === undefined || slice === Infinity ? (await condition(ready), true) : await condition(ready, slice);
        if (woke) return true;
        if (deadline !== undefined && run.now() >= deadline) return false;
        run.log.flush(); // idle for a while: let the KPIs see what happened so far
      }
    } finally {
      this.blocked = false;
      this.wakeup = () => false;
      run.waitingFor = null;
      run.status = 'running';
    }
  }

  /** Blocks the run on other work (a child run) that the chat turn should not wait for. */
  async for<T>(kind: WaitingFor, work: () => Promise<T>): Promise<T> {
    const run = this.run;
    run.waitingFor = kind;
    run.status = 'waiting';
    this.blocked = true;
    this.wakeup = () => false;
    run.log.flush();
    try {
      return await work();
    } finally {
      this.blocked = false;
      run.waitingFor = null;
      run.status = 'running';
    }
  }

  /** Before continue-as-new: the run counts as idle so chat turns in flight return their replies. */
  park(kind: WaitingFor): void {
    this.run.waitingFor = kind;
    this.run.status = 'waiting';
    this.blocked = true;
    this.wakeup = () => false;
  }

  /** True when the main loop waits and nothing it waits for has arrived: the chat turn is over. */
  idle(): boolean {
    return this.run.finished || (this.blocked && !this.wakeup());
  }
}
