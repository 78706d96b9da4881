import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createRunLogWriter } from '../../activities/run-events/run-log-writer';
import { runLogSinks } from '../../activities/run-events/run-log-sink';
import type { RunLogEntry } from '../../contracts/run-log';
import { FLOW_RUN_WORKFLOW } from '../../contracts/run-wire';
import { quietBundlerLogger, silentLogger, type Logger } from '../../libs/runtime/log';

/**
 * Rebuilding a flowRunV2 run's log from Temporal's history.
 *
 * A flowRunV2 run hands its run events and its closing index row to the worker's run-log writer
 * through a sink (contracts/run-log.ts); the writer keeps them in memory until it commits. A worker
 * that dies after a run CLOSED and before that commit loses the run's last entry (its last events,
 * `run.finished`, the close): no workflow task of that run will ever run again to hand it over. The
 * history still has every input the run saw, so replaying it with the same sink yields exactly the
 * entries the run handed over, which are then written as the writer would (idempotent by
 * `(run_id, seq)`; a closed row keeps its close and takes the workflow's outcome).
 *
 * Legacy runs (flowRunWorkflow) are not rebuilt here: their events and close went through activities
 * whose results are in their history, and their replay hands nothing to the sink.
 */

/** How the worker loads its workflows (its own options), so a replay runs the same code. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;

export interface RebuildDeps {
  client: Client;
  /** The writer opens its own transactions, so a Pool (not a single client). */
  pool: Pick<Pool, 'connect' | 'query'>;
  workflows: WorkflowSource;
  log?: Logger;
  /** How long writing the entries may take before the rebuild gives up (PostgreSQL down). Default 30 s. */
  writeTimeoutMs?: number;
}

export interface RebuildResult {
  /** Why nothing was replayed: not a flowRunV2 run, still running, or unknown to Temporal. */
  skipped?: 'legacy' | 'running' | 'not_found';
  /** Executions of the continue-as-new chain replayed (oldest first). */
  executions: number;
  /** Whether the chain's oldest history was gone (retention): events of the missing executions are not rebuilt. */
  partial: boolean;
  /** Entries the replay handed over. */
  entries: number;
  /** Event rows inserted (rows already stored are not counted). */
  events: number;
  /** Whether the replayed entries end the run (`run.finished` among them); a test run hands over nothing. */
  finished: boolean;
  /** Whether the index row was written: closed now, or given the workflow's own outcome. */
  closed: boolean;
}

/** A continue-as-new chain longer than this is cut (oldest executions not replayed): a guard against a loop, not a limit runs reach. */
const MAX_EXECUTIONS = 1_000;

const bundles = new Map<string, Promise<WorkflowBundleOption>>();

/**
 * The bundle a replay runs: the worker's prebuilt one as it is, else bundled from its workflows path
 * once per process (a few seconds and tens of MB), and only when a rebuild first needs it.
 */
export function replayBundle(source: WorkflowSource): Promise<WorkflowBundleOption> {
  if (source.workflowBundle) return Promise.resolve(source.workflowBundle);
  const workflowsPath = source.workflowsPath;
  if (!workflowsPath) return Promise.reject(new Error('rebuilding a run log needs the worker’s workflowBundle or workflowsPath'));
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, ...source.bundlerOptions, logger: quietBundlerLogger });
    // A failed bundle is tried again at the next rebuild rather than cached.
    bundle.catch(() => bundles.delete(workflowsPath));
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/** The histories of a run's executions, oldest first, walking back from the last through each start's `continuedExecutionRunId`. */
async function chainHistories(
  client: Client,
  workflowId: string,
  lastRunId: string,
): Promise<{ histories: temporal.api.history.v1.IHistory[]; partial: boolean }> {
  const histories: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = lastRunId;
  while (runId && histories.length < MAX_EXECUTIONS) {
    let history: temporal.api.history.v1.IHistory;
    try {
      history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (err) {
      // An older execution past the namespace's retention: what remains is still rebuilt.
      if (err instanceof WorkflowNotFoundError && histories.length > 0) return { histories, partial: true };
      throw err;
    }
    histories.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { histories, partial: runId !== undefined };
}

/** Replays the histories with the run-log sink collecting; a history that does not replay throws (nothing is written then). */
async function replayEntries(workflows: WorkflowSource, workflowId: string, histories: temporal.api.history.v1.IHistory[]): Promise<RunLogEntry[]> {
  const entries: RunLogEntry[] = [];
  const replays = Worker.runReplayHistories(
    { workflowBundle: await replayBundle(workflows), sinks: runLogSinks({ record: (entry) => entries.push(entry) }), replayName: 'cauce-rebuild' },
    histories.map((history) => ({ workflowId, history })),
  );
  for await (const result of replays) {
    if (result.error) throw result.error;
  }
  // Only this run's own entries (a replay never runs its children, but the sink takes any entry).
  return entries.filter((e) => (e.events?.runId ?? e.close?.runId) === workflowId);
}

/**
 * Rebuilds the run log of a CLOSED flowRunV2 run (`runId` is its workflow id) by replaying every
 * execution of its chain, then writes the entries through a run-log writer of its own on `pool`.
 * Safe to repeat: what is already stored is skipped.
 */
export async function rebuildRunLog(deps: RebuildDeps, runId: string): Promise<RebuildResult> {
  const nothing = { executions: 0, partial: false, entries: 0, events: 0, finished: false, closed: false };
  let last;
  try {
    last = await deps.client.workflow.getHandle(runId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { ...nothing, skipped: 'not_found' };
    throw err;
  }
  if (last.type !== FLOW_RUN_WORKFLOW) return { ...nothing, skipped: 'legacy' };
  // An open run hands its entries over again itself at its next workflow task (the sink is called during replay).
  if (last.status.name === 'RUNNING') return { ...nothing, skipped: 'running' };

  const { histories, partial } = await chainHistories(deps.client, runId, last.runId);
  const entries = await replayEntries(deps.workflows, runId, histories);
  const writer = createRunLogWriter({ pool: deps.pool, log: deps.log ?? silentLogger });
  for (const entry of entries) writer.record(entry);
  await writer.close({ timeoutMs: deps.writeTimeoutMs ?? 30_000 });
  const written = writer.stats();
  return {
    executions: histories.length,
    partial,
    entries: entries.length,
    events: written.events,
    finished: entries.some((e) => e.events?.events.some((ev) => ev.type === 'run.finished')),
    closed: written.closes > 0,
  };
}

export interface RebuildEachDeps {
  rebuild: (runId: string) => Promise<RebuildResult>;
  heartbeat?: () => void;
  log?: (line: string) => void;
}

/**
 * Rebuilds the runs in turn (replays run one at a time in the worker), handing each result to
 * `settle`; a failure is logged (`failing` says what could not be done) and counted, the rest go on.
 * Returns the number of failures. The sweep and the gap check go through here.
 */
export async function rebuildEach(
  deps: RebuildEachDeps,
  runIds: string[],
  failing: (runId: string) => string,
  settle: (runId: string, result: RebuildResult) => Promise<void> | void,
): Promise<number> {
  let errors = 0;
  for (const runId of runIds) {
    try {
      await settle(runId, await deps.rebuild(runId));
    } catch (err) {
      errors++;
      deps.log?.(`[runs] ${failing(runId)}: ${(err as Error)?.message ?? err}`);
    }
    deps.heartbeat?.();
  }
  return errors;
}
