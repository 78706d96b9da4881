import type { FlowNode } from '../../language';
import type { Run } from '../run';
import type { ResumePoint } from '../../../contracts/run';

export interface NodeResult {
  /** The branch (edge `sourceHandle`) to follow; null ends the run (the `end` node). */
  branch: string | null;
  /** Readable afterwards as `nodes.<id>.output`. */
  output?: unknown;
  /** The node is waiting and the history is long: continue as new and resume here. */
  continueAsNew?: ResumePoint;
}

// Handlers receive node data already checked by the validator at publish time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NodeHandler<D = any> = (node: FlowNode<D>, run: Run, resume?: ResumePoint) => Promise<NodeResult> | NodeResult;
