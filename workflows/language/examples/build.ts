/** Tiny helpers to write example flows compactly; the result is plain flow JSON. */
import type { FlowEdge, FlowNode } from '../types';

export function node(id: string, type: string, data: Record<string, unknown>, x: number, y: number): FlowNode {
  return { id, type, position: { x, y }, data };
}

/** An edge from `source`'s `branch` to `target`, with a readable id. */
export function edge(source: string, branch: string, target: string): FlowEdge {
  return { id: `${source}.${branch}->${target}`, source, target, sourceHandle: branch, targetHandle: null };
}
