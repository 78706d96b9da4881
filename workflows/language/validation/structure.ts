/** Reads a possibly malformed flow into a FlowModel, reporting shape problems. Never throws. */
import { isPlainObject, isReservedName } from '../text';
import type { VariableDeclaration } from '../types';
import type { ProblemCollector } from './collector';
import type { EdgeInfo, FlowModel, NodeInfo } from './model';

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readNode(raw: unknown, index: number, problems: ProblemCollector): NodeInfo | null {
  if (!isPlainObject(raw)) {
    problems.add('node.malformed', { index: index + 1 });
    return null;
  }
  const id = nonEmptyString(raw.id);
  const data = isPlainObject(raw.data) ? raw.data : {};
  const label = nonEmptyString(data.label)?.trim();
  return {
    index,
    id,
    inGraph: false,
    type: typeof raw.type === 'string' ? raw.type : '',
    data,
    rawData: raw.data === undefined ? {} : raw.data,
    name: label || id || `#${index + 1}`,
    branches: null,
    waits: false,
    writes: [],
    reads: [],
  };
}

function readEdge(raw: unknown, index: number, problems: ProblemCollector): EdgeInfo | null {
  if (!isPlainObject(raw)) {
    problems.add('edge.malformed', { index: index + 1 });
    return null;
  }
  return {
    index,
    id: nonEmptyString(raw.id),
    source: nonEmptyString(raw.source),
    target: nonEmptyString(raw.target),
    sourceHandle: nonEmptyString(raw.sourceHandle),
  };
}

export function readFlow(flow: unknown, problems: ProblemCollector): FlowModel {
  const model: FlowModel = { readable: false, edgesReadable: false, nodes: [], edges: [], byId: new Map(), variables: [] };
  if (!isPlainObject(flow)) {
    problems.add('flow.invalid', {});
    return model;
  }
  if (!Array.isArray(flow.nodes)) {
    problems.add('flow.nodes_not_array', {});
    return model;
  }
  model.readable = true;
  model.edgesReadable = flow.edges === undefined || Array.isArray(flow.edges);
  if (!model.edgesReadable) problems.add('flow.edges_not_array', {});
  const rawNodes: unknown[] = Array.isArray(flow.nodes) ? flow.nodes : [];
  const rawEdges: unknown[] = Array.isArray(flow.edges) ? flow.edges : [];

  rawNodes.forEach((raw, i) => {
    const node = readNode(raw, i, problems);
    if (!node) return;
    model.nodes.push(node);
    if (!node.id) {
      problems.add('node.missing_id', { node: node.name });
    } else if (model.byId.has(node.id)) {
      problems.add('node.duplicate_id', { id: node.id }, { nodeId: node.id });
    } else {
      // A reserved id is reported but kept in the graph, so its edges are not reported as dangling too.
      if (isReservedName(node.id)) problems.add('node.reserved_id', { id: node.id }, { nodeId: node.id });
      node.inGraph = true;
      model.byId.set(node.id, node);
    }
  });

  const edgeIds = new Set<string>();
  rawEdges.forEach((raw, i) => {
    const edge = readEdge(raw, i, problems);
    if (!edge) return;
    model.edges.push(edge);
    if (!edge.id) problems.add('edge.missing_id', { edge: `#${i + 1}` });
    else if (edgeIds.has(edge.id)) problems.add('edge.duplicate_id', { id: edge.id }, { edgeId: edge.id });
    else edgeIds.add(edge.id);
  });

  if (flow.variables !== undefined && !Array.isArray(flow.variables)) problems.add('flow.variables_not_array', {});
  model.variables = Array.isArray(flow.variables) ? (flow.variables as VariableDeclaration[]) : [];
  return model;
}
