import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BusinessEvent, InboundMessage, MessageResult, RunSnapshot } from './run';

/**
 * The run's wire interface, shared by the workflow and the API client. Workflow type and handler
 * names are stable: renaming one breaks runs in flight.
 */
export const FLOW_RUN_WORKFLOW = 'flowRunV2';
/**
 * The first run workflow type: runs started before flowRunV2 keep it (and their children and
 * continue-as-new); the worker still registers it so they finish and replay as they ran.
 */
export const LEGACY_FLOW_RUN_WORKFLOW = 'flowRunWorkflow';
/** Every workflow type a flow run can have: what listings and lookups accept. */
export const FLOW_RUN_WORKFLOW_TYPES: readonly string[] = [FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW];
/** A customer's (or agent's) message; returns the replies produced before the run waits again. */
export const messageUpdate = defineUpdate<MessageResult, [InboundMessage]>('message');
/**
 * The run's opening: waits until the run first waits (or ends) and returns what it said so far,
 * without marking it delivered. The API sends it with the start (update-with-start), so a start
 * answers with the opening messages in one round trip instead of polling the state.
 */
export const openingUpdate = defineUpdate<MessageResult, []>('opening');
/** A business or agent event (`agent.accepted`, `purchase.completed`, ...). */
export const eventSignal = defineSignal<[BusinessEvent]>('event');
/** Status, current node, variables, transcript, path. */
export const stateQuery = defineQuery<RunSnapshot>('state');
