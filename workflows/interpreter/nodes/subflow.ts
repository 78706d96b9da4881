import { executeChild, ChildWorkflowFailure } from '@temporalio/workflow';
import type { FlowDefinition } from '../../language';
import { scoring } from '../activities';
import type { FlowRunInput, FlowRunResult } from '../../../contracts/run';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

/**
 * Runs another published flow as a child workflow, for non-conversational sub-journeys (enrichment,
 * notifications, scoring). The child gets its own run id; customer messages stay with the parent.
 */
export const subflow: HandlerOf<'subflow'> = async (node, run) => {
  const loaded = await callActivity(
    run,
    node,
    () => scoring.loadFlowVersion({ flowId: node.data.flowId, ...(node.data.version ? { version: node.data.version } : {}) }),
    'failed',
  );
  if (!loaded.ok) return { branch: 'failed', output: { error: loaded.error } };
  const input = Object.fromEntries(Object.entries(node.data.input ?? {}).map(([k, t]) => [k, run.render(node, t, `input.${k}`)]));
  const childInput: FlowRunInput = {
    flowId: loaded.value.flowId,
    version: loaded.value.version,
    definition: loaded.value.definition as unknown as FlowDefinition,
    input,
    ...(run.input.customerId ? { customerId: run.input.customerId } : {}),
    ...(run.input.channel ? { channel: run.input.channel } : {}),
    locale: run.locale,
    ...(run.input.test ? { test: true } : {}),
  };
  const visit = run.visits[node.id] ?? 1;
  const childRunId = `${run.runId}.sub.${node.id}.${visit}`;
  // The child's id in the parent's event: the child's own row is written only by its close, so a lost
  // close would leave nothing to find it by; the runs reconciler looks for children without a row here.
  run.emit('subflow.started', node.id, { flowId: childInput.flowId, version: childInput.version, childRunId });
  try {
    const result = await run.waitFor('subflow', () =>
      executeChild<(input: FlowRunInput) => Promise<FlowRunResult>>(run.engine.workflowType, {
        args: [childInput],
        workflowId: childRunId,
      }),
    );
    return { branch: 'completed', output: { outcome: result.outcome, vars: result.vars } };
  } catch (err) {
    if (err instanceof ChildWorkflowFailure) {
      return { branch: 'failed', output: { error: err.cause?.message ?? err.message } };
    }
    throw err;
  }
};
