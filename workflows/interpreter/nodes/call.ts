import type { FlowNode } from '../../language';
import { describeFailure, NodeError, Run } from '../run';

/**
 * Runs a node's activity. A failure (after the activity's retries) takes the node's error branch when
 * the flow connected one, and otherwise fails the run naming the node.
 */
export async function callActivity<T>(
  run: Run,
  node: FlowNode,
  call: () => Promise<T>,
  errorBranch = 'error',
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    const message = describeFailure(err);
    if (run.hasEdge(node.id, errorBranch)) {
      run.emit('node.error', node.id, { message });
      return { ok: false, error: message };
    }
    throw new NodeError(node.id, `Node ${run.label(node)} failed: ${message}`, err);
  }
}
