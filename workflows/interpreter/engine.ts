import { FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW } from '../../contracts/run-wire';
import { CURRENT_PATCHES, decidePatches, type Patches } from './patches';

/**
 * How a run of one registered workflow type records itself. The two types walk flows with the same
 * code; they differ only in what they write around it, so runs recorded by the first type replay
 * exactly as they ran while new runs get a history in the shape of the engine's floor
 * (bench/floor.ts): no patch marker, no search-attribute upsert, no activity for analytics.
 */
export interface RunEngine {
  /** The workflow type of this run, its children (subflow) and its continue-as-new. */
  readonly workflowType: string;
  /** Which interpreter changes apply (patches.ts): decided by markers, or all of them. */
  decidePatches(): Patches;
  /**
   * `sink`: run events and the closing index row go to the worker's run-log writer through a
   * Temporal sink (contracts/run-log.ts): no history event, many runs per transaction.
   * `activities`: the `recordRunEvents` / `updateRunIndex` activities of runs recorded before.
   */
  readonly runLog: 'sink' | 'activities';
  /** Upserts CauceStatus as the run finishes; without it the status is Temporal's execution status. */
  readonly statusSearchAttribute: boolean;
  /** Reads the customer from the CRM at start: always, or only when the flow reads `customer`. */
  readonly loadCustomer: 'always' | 'whenRead';
}

/** `flowRunV2`: every run the API, a schedule or a subflow starts from now on. */
export const CURRENT_ENGINE: RunEngine = {
  workflowType: FLOW_RUN_WORKFLOW,
  decidePatches: () => ({ ...CURRENT_PATCHES }),
  runLog: 'sink',
  statusSearchAttribute: false,
  loadCustomer: 'whenRead',
};

/** `flowRunWorkflow`: runs started before flowRunV2, still in flight or replayed, and their children. */
export const LEGACY_ENGINE: RunEngine = {
  workflowType: LEGACY_FLOW_RUN_WORKFLOW,
  decidePatches,
  runLog: 'activities',
  statusSearchAttribute: true,
  loadCustomer: 'always',
};
