import type { Sinks } from '@temporalio/workflow';
import type { RunEventBatch, RunIndexUpdate } from './activities';

/**
 * What a run of the current workflow type (`FLOW_RUN_WORKFLOW`, flowRunV2) hands the worker's
 * run-log writer: its run events since the last entry and, when it closes, its index row. A
 * Temporal sink carries it, so it costs no history event and no activity; the worker writes the
 * entries of many runs in one transaction (activities/run-events/run-log-writer.ts).
 *
 * The sink is called during replay too (`callDuringReplay: true`): a run that continues on another
 * worker after a crash hands over its events again, and `(run_id, seq)` makes the repeat harmless.
 * A closed run whose last entry a crash lost keeps its `running` row; the reconciler rebuilds its
 * entries by replaying its history with this same sink (upkeep/runs-reconciler).
 */
export interface RunLogEntry {
  /** Events recorded since the previous entry, numbered in order (`seq`). */
  events?: RunEventBatch;
  /** The run's index row as it closes (status, outcome, closedAt). */
  close?: RunIndexUpdate;
}

export interface RunLogSinks extends Sinks {
  runLog: {
    record(entry: RunLogEntry): void;
  };
}
