import type { FlowNode } from '../../language';
// Types only: the catalog's zod schemas stay out of the workflow bundle (see run.ts).
import type { BuiltInNodeType, NodeDataByType } from '../../language/catalog';
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

/** The handler of one catalog node type, typed by what its description's schema parses the data to. */
export type HandlerOf<T extends BuiltInNodeType> = NodeHandler<NodeDataByType[T]>;

/** One handler per node type of the catalog: a type without one, or with another's, does not compile. */
export type NodeHandlers = { [T in BuiltInNodeType]: HandlerOf<T> };
