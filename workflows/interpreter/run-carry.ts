import { workflowInfo } from '@temporalio/workflow';
import type { CarriedState } from '../../contracts/run';
import type { Run } from './run';

/** Transcript and path entries carried through continue-as-new (the full record is in run_events). */
export const CARRIED_TAIL = 200;

/**
 * A long conversation continues as new in one of its waits: after `maxUpdatesPerExecution` chat
 * turns, a long history, or when Temporal suggests it.
 */
export function shouldContinueAsNew(run: Run): boolean {
  const info = workflowInfo();
  return run.updatesHandled >= run.limits.maxUpdatesPerExecution || info.historyLength >= run.limits.maxHistoryEvents || info.continueAsNewSuggested;
}

/** The state the next execution starts from, resuming in the wait `resume` names. */
export function carryState(run: Run, resume: CarriedState['resume']): CarriedState {
  const { seenEventIds, pendingBusinessEvents } = run.eventInbox.carried();
  const { pendingEvents, seq } = run.log.carried();
  // The keys in this order: the carried state is the continue-as-new input, as recorded histories hold it.
  return {
    vars: run.vars,
    customer: run.customer,
    last: run.last,
    nodes: run.outputs,
    transcript: run.transcript.slice(-CARRIED_TAIL),
    path: run.path.slice(-CARRIED_TAIL),
    experiments: run.experiments,
    visits: run.visits,
    seenEventIds,
    pendingMessages: [...run.inbox],
    pendingBusinessEvents,
    pendingEvents,
    seq,
    startedAt: run.startedAt,
    continuedAsNew: run.continuedAsNew + 1,
    resume,
  };
}

/** Takes over the state a previous execution carried (see carryState). */
export function restoreState(run: Run, c: CarriedState): void {
  run.vars = c.vars;
  run.customer = c.customer;
  run.last = c.last;
  run.outputs = c.nodes;
  run.conversation.restore(c.transcript);
  run.path = c.path;
  run.experiments = c.experiments;
  run.visits = c.visits;
  run.eventInbox.restoreSeen(c.seenEventIds);
  run.inbox.push(...c.pendingMessages);
  run.eventInbox.restorePending(c.pendingBusinessEvents ?? [], run.now());
  run.log.restore(c.pendingEvents, c.seq);
  run.startedAt = c.startedAt;
  run.continuedAsNew = c.continuedAsNew;
}
