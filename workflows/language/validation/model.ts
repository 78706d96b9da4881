/** The validator's sanitized view of a flow: what survives malformed input. */
import type { VariableDeclaration } from '../types';

export interface VariableRead {
  /** Dotted path read, e.g. `vars.attempts`. */
  path: string;
  /** Data field holding the rule or template. */
  field: string;
}

export interface NodeInfo {
  index: number;
  id?: string;
  /** False for nodes without an id or with a duplicated id: they take no part in graph checks. */
  inGraph: boolean;
  type: string;
  data: Record<string, unknown>;
  rawData: unknown;
  /** `data.label`, else the id, else `#<position>`. */
  name: string;
  /** Branches, or null when the type is unknown (no branch checks then). */
  branches: string[] | null;
  waits: boolean;
  writes: string[];
  reads: VariableRead[];
}

export interface EdgeInfo {
  index: number;
  id?: string;
  source?: string;
  target?: string;
  sourceHandle?: string;
}

export interface FlowModel {
  /** False when the flow is not an object or its nodes are not a list: nothing else is checked. */
  readable: boolean;
  /** False when the edges are not a list: graph checks are skipped. */
  edgesReadable: boolean;
  nodes: NodeInfo[];
  edges: EdgeInfo[];
  /** Graph nodes by id (first node wins for duplicated ids). */
  byId: Map<string, NodeInfo>;
  variables: VariableDeclaration[];
}
