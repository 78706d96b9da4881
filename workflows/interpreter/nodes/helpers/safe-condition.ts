import { NodeError } from '../../node-error';

/** Evaluates a node's rule; a rule that throws (bad data, out of work) fails the node, naming it. */
export function safeCondition<T>(nodeId: string, label: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (err) {
    throw new NodeError(nodeId, `Node ${label}: the rule failed: ${(err as Error).message}`, err);
  }
}
