import type { InjectedSinks } from '@temporalio/worker';
import type { RunLogEntry, RunLogSinks } from '../../contracts/run-log';

/** Whatever takes a run's log entries: the worker's run-log writer, or a collector when rebuilding. */
export interface RunLogRecorder {
  record(entry: RunLogEntry): void;
}

/** Runs whose close this process took, remembered so replays of them write nothing again. */
const REMEMBERED_CLOSES = 20_000;

/**
 * The worker's `sinks` for flowRunV2 (contracts/run-log.ts). Called during replay too: a run that
 * continues on another worker after a crash hands its events over again (the writer's inserts are
 * idempotent by `(run_id, seq)`), and a history replayed to rebuild a lost close yields its entries.
 *
 * A closed run is replayed whenever it is queried (its state on the run's page): entries replayed
 * for a run whose close this process already took are skipped, so reading a closed run costs no
 * write. A process that never saw the close (a restarted worker) writes them once more, harmlessly.
 */
export function runLogSinks(recorder: RunLogRecorder): InjectedSinks<RunLogSinks> {
  const closed = new Set<string>();
  return {
    runLog: {
      record: {
        fn: (info, entry) => {
          const runId = entry.events?.runId ?? entry.close?.runId ?? info.workflowId;
          if (info.unsafe.isReplaying && closed.has(runId)) return;
          if (entry.close) {
            closed.add(runId);
            // A Set iterates in insertion order: the oldest remembered close goes first.
            if (closed.size > REMEMBERED_CLOSES) closed.delete(closed.values().next().value as string);
          }
          recorder.record(entry);
        },
        callDuringReplay: true,
      },
    },
  };
}
