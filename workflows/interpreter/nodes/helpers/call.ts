import type { FlowNode } from '../../../language';
import { describeFailure, NodeError } from '../../node-error';
import type { Run } from '../../run';

/**
 * Runs a node's activity. A failure (after the activity's retries) takes the node's error branch when
 * the flow connected one, and otherwise fails the run naming the node. (A `then` rather than an
 * async function: one promise per call instead of three, each with a stack capture in the SDK.)
 */
export function callActivity<T>(
  run: Run,
  node: FlowNode,
  call: () => Promise<T>,
  errorBranch = 'error',
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const failed = (err: unknown): { ok: false; error: string } => {
    const message = describeFailure(err);
    if (run.hasEdge(node.id, errorBranch)) {
      run.emit('node.error', node.id, { message });
      return { ok: false, error: message };
    }
    throw new NodeError(node.id, `Node ${run.label(node)} failed: ${message}`, err);
  };
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (err) {
    // A call that throws before it starts (bad input) is a failure of the node, as a rejection is.
    return Promise.resolve().then(() => failed(err));
  }
  return pending.then((value) => ({ ok: true as const, value }), failed);
}
