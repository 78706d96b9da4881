/**
 * Auto-layout with dagre: top to bottom, branches in their declared order, left to right.
 *
 * dagre turns every edge spanning several ranks into a chain of dummy nodes; in a large flow the
 * edges that jump back or far down to shared nodes (one "abandoned" end reached from 60 questions)
 * make that tens of thousands of dummies and seconds of work. Large flows are therefore laid out on
 * their "tight" edges only (those joining adjacent ranks of a longest-path ranking, plus one
 * incoming edge for every node), which places every node as well, in a fraction of the time; the
 * canvas still draws every edge. The editor runs this in a Web Worker (layout.worker.ts).
 */
import dagre from '@dagrejs/dagre';
import { nodeBranches } from '../../../workflows/language';

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 92;
/** Above this many nodes only the tight edges go to dagre. */
export const FULL_LAYOUT_LIMIT = 80;

export interface LayoutNode {
  id: string;
  type?: string;
  data: Record<string, unknown>;
  width?: number;
  height?: number;
}
export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
}
export type Positions = Record<string, { x: number; y: number }>;

export function estimatedWidth(type: string | undefined, data: Record<string, unknown>): number {
  return Math.max(NODE_WIDTH, nodeBranches({ type: type ?? '', data }).length * 70);
}

/** The edges dagre needs for a large flow: tight ones, and one incoming edge per node. */
export function tightEdges(nodes: LayoutNode[], edges: LayoutEdge[]): LayoutEdge[] {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, LayoutEdge[]>();
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  // Back edges (loops) found by DFS from the roots are left out of the ranking.
  const back = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const list of out.values()) for (const e of list) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const roots = [...nodes.filter((n) => n.type === 'start' || indegree.get(n.id) === 0), ...nodes].map((n) => n.id);
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const list = out.get(top[0]) ?? [];
      if (top[1] >= list.length) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const e = list[top[1]++];
      const s = state.get(e.target);
      if (s === 1) back.add(e.id);
      else if (!s) {
        state.set(e.target, 1);
        stack.push([e.target, 0]);
      }
    }
  }
  // Longest-path ranks over the remaining DAG (Kahn's order).
  const forward = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target && !back.has(e.id));
  const pending = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of forward) pending.set(e.target, (pending.get(e.target) ?? 0) + 1);
  const rank = new Map<string, number>();
  const queue = nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) rank.set(id, 0);
  const fwdOut = new Map<string, LayoutEdge[]>();
  for (const e of forward) fwdOut.set(e.source, [...(fwdOut.get(e.source) ?? []), e]);
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const e of fwdOut.get(v) ?? []) {
      rank.set(e.target, Math.max(rank.get(e.target) ?? 0, (rank.get(v) ?? 0) + 1));
      pending.set(e.target, (pending.get(e.target) ?? 1) - 1);
      if (pending.get(e.target) === 0) queue.push(e.target);
    }
  }
  const kept: LayoutEdge[] = [];
  const hasIncoming = new Set<string>();
  for (const e of forward) {
    if ((rank.get(e.target) ?? 0) - (rank.get(e.source) ?? 0) === 1) {
      kept.push(e);
      hasIncoming.add(e.target);
    }
  }
  for (const e of forward) {
    if (!hasIncoming.has(e.target)) {
      kept.push(e);
      hasIncoming.add(e.target);
    }
  }
  return kept;
}

export function computeLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Positions {
  if (nodes.length === 0) return {};
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 64, edgesep: 16, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  const size = (n: LayoutNode) => ({ width: n.width ?? estimatedWidth(n.type, n.data), height: n.height ?? NODE_HEIGHT });
  for (const n of nodes) g.setNode(n.id, size(n));
  const used = nodes.length > FULL_LAYOUT_LIMIT ? tightEdges(nodes, edges) : edges;
  // Edges in branch order, and sibling order constraints, so dagre keeps "true" left of "false",
  // option 1 left of option 2, ... Each child is constrained by its first parent only, so the
  // constraints never contradict each other.
  const branchesOf = new Map(nodes.map((n) => [n.id, nodeBranches({ type: n.type ?? '', data: n.data })]));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const branchRank = (e: LayoutEdge) => branchesOf.get(e.source)?.indexOf(e.sourceHandle ?? '') ?? 99;
  const sorted = [...used].sort((a, b) => (index.get(a.source) ?? 0) - (index.get(b.source) ?? 0) || branchRank(a) - branchRank(b));
  const children = new Map<string, string[]>();
  for (const e of sorted) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    g.setEdge(e.source, e.target, {}, e.id);
    const list = children.get(e.source) ?? [];
    if (!list.includes(e.target)) list.push(e.target);
    children.set(e.source, list);
  }
  const claimed = new Map<string, string>();
  const constraints: { left: string; right: string }[] = [];
  for (const n of nodes) {
    const own = (children.get(n.id) ?? []).filter((c) => {
      if (claimed.has(c)) return claimed.get(c) === n.id;
      claimed.set(c, n.id);
      return true;
    });
    for (let i = 1; i < own.length; i++) constraints.push({ left: own[i - 1], right: own[i] });
  }
  dagre.layout(g, { constraints });
  const positions: Positions = {};
  for (const n of nodes) {
    const p = g.node(n.id);
    const { width, height } = size(n);
    if (p) positions[n.id] = { x: Math.round(p.x - width / 2), y: Math.round(p.y - height / 2) };
  }
  return positions;
}
