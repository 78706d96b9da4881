import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** A node that cannot go on: the run fails with `NodeFailed` naming the node (flow-run.workflow.ts). */
export class NodeError extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

/** The message of an activity's failure, for the node's `error` branch or its NodeError. */
export function describeFailure(err: unknown): string {
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) return cause.message;
    return cause?.message ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
