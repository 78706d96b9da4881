/**
 * The flow format ⇄ React Flow. A canvas node is the flow node itself: `type` is the node type,
 * `data` the node's data object (serialisable), `position` its position. An edge leaves its source
 * through the handle named after the branch, and enters the target through the handle `in`.
 */
import type { Edge, Node } from '@xyflow/react';
import type { FlowDefinition, FlowEdge, FlowNode, VariableDeclaration } from '../../../workflows/language';

export type CanvasNode = Node<Record<string, unknown>>;
export type CanvasEdge = Edge;

export const TARGET_HANDLE = 'in';

export function edgeId(source: string, branch: string, target: string): string {
  return `${source}.${branch}->${target}`;
}

export function toCanvasNode(node: FlowNode): CanvasNode {
  return {
    id: node.id,
    type: node.type,
    position: node.position ? { x: node.position.x, y: node.position.y } : { x: 0, y: 0 },
    data: (node.data ?? {}) as Record<string, unknown>,
  };
}

export function toCanvasEdge(edge: FlowEdge): CanvasEdge {
  return { id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle, targetHandle: TARGET_HANDLE };
}

export function toCanvas(flow: FlowDefinition): { nodes: CanvasNode[]; edges: CanvasEdge[]; positioned: boolean } {
  const nodes = (flow.nodes ?? []).map(toCanvasNode);
  const edges = (flow.edges ?? []).map(toCanvasEdge);
  // Flows written by hand or by the API may have no positions: the editor lays them out then.
  const positioned = (flow.nodes ?? []).every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y));
  const overlapping = nodes.length > 1 && new Set(nodes.map((n) => `${Math.round(n.position.x)},${Math.round(n.position.y)}`)).size === 1;
  return { nodes, edges, positioned: positioned && !overlapping };
}

export function toFlow(nodes: CanvasNode[], edges: CanvasEdge[], variables?: VariableDeclaration[]): FlowDefinition {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.type ?? 'message', position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? '', targetHandle: TARGET_HANDLE })),
    ...(variables && variables.length ? { variables } : {}),
  };
}

/** A readable, unique node id for a type: `ask_1`, `ai_classify_2`, `activity_loyalty_points_1`. */
export function newNodeId(type: string, taken: Set<string>): string {
  const base = type.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}_${i}`;
    if (!taken.has(id)) return id;
  }
}

export function cloneData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/** Layout input for canvas nodes: measured sizes when the canvas has them. */
export function layoutInput(nodes: CanvasNode[], edges: CanvasEdge[]) {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, data: n.data, width: n.measured?.width, height: n.measured?.height })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null })),
  };
}

export function placed(nodes: CanvasNode[], positions: Record<string, { x: number; y: number }>): CanvasNode[] {
  return nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n));
}
