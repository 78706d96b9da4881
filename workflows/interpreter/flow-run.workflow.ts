import type { FlowRunInput, FlowRunResult } from '../../contracts/run';
import { CURRENT_ENGINE, LEGACY_ENGINE } from './engine';
import { runFlow } from './run-flow';

/**
 * A run of a flow (`FLOW_RUN_WORKFLOW`): every run started from now on. Its history has the shape
 * of the engine's floor: the start, the Updates, the node activities' markers, the close; run
 * events and the index row go to the worker's run-log writer through a sink (engine.ts).
 */
export async function flowRunV2(input: FlowRunInput): Promise<FlowRunResult> {
  return runFlow(input, CURRENT_ENGINE);
}

/**
 * A run started before flowRunV2 (`LEGACY_FLOW_RUN_WORKFLOW`): kept registered so runs in flight
 * finish, and recorded histories replay, exactly as they ran (patch markers, activities).
 */
export async function flowRunWorkflow(input: FlowRunInput): Promise<FlowRunResult> {
  return runFlow(input, LEGACY_ENGINE);
}
