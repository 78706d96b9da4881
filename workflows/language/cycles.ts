/**
 * Spinning-cycle detection: a loop that can repeat without any node that waits (ask, delay,
 * waitForEvent, csat, escalate) and without a bounded counter (see counters.ts) would run forever
 * inside one workflow task.
 *
 * Waiting nodes are removed first; every cycle left must be bounded. A strongly connected component
 * (SCC) with a counter X is split into the cycles that avoid X's bounded branches and the cycles
 * that avoid X's steps, and each part is checked again; a cycle using both is bounded.
 */
import { counterGuards, counterSteps, type Direction } from './counters';

export interface CycleNode {
  id: string;
  type: string;
  waits: boolean;
  data: Record<string, unknown>;
  /** Variables the node writes (`vars.<name>`); any write other than a counter step disqualifies the counter. */
  writes: string[];
}

export interface CycleEdge {
  id: string;
  source: string;
  target: string;
  branch: string;
}

const MAX_SPLITS = 2000;

interface Graph {
  nodes: Map<string, CycleNode>;
  edges: CycleEdge[];
}

function stronglyConnected(nodeIds: Set<string>, edges: CycleEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (nodeIds.has(e.source) && nodeIds.has(e.target)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      result.push(component);
    }
  };
  for (const v of nodeIds) if (!index.has(v)) visit(v);
  return result;
}

interface Counter {
  boundedEdges: Set<string>;
  steppers: Set<string>;
}

/** A counter that bounds some cycle of the component, if any. */
function findCounter(graph: Graph, component: Set<string>, edges: CycleEdge[]): Counter | null {
  const inside = edges.filter((e) => component.has(e.source) && component.has(e.target));
  const stepsByNode = new Map<string, Map<string, Direction | null>>();
  for (const id of component) {
    const node = graph.nodes.get(id) as CycleNode;
    stepsByNode.set(id, counterSteps(node.type, node.data));
  }
  for (const id of component) {
    const node = graph.nodes.get(id) as CycleNode;
    for (const guard of counterGuards(node.type, node.data)) {
      const boundedEdges = inside.filter((e) => e.source === id && e.branch === guard.branch);
      if (!boundedEdges.length) continue;
      const steppers = new Set<string>();
      let disqualified = false;
      for (const [nodeId, steps] of stepsByNode) {
        const writer = (graph.nodes.get(nodeId) as CycleNode).writes.includes(guard.variable);
        if (!writer && !steps.has(guard.variable)) continue;
        if (steps.get(guard.variable) === guard.direction) steppers.add(nodeId);
        else disqualified = true;
      }
      if (!disqualified && steppers.size) return { boundedEdges: new Set(boundedEdges.map((e) => e.id)), steppers };
    }
  }
  return null;
}

function isCycle(component: string[], edges: CycleEdge[]): boolean {
  return component.length > 1 || edges.some((e) => e.source === component[0] && e.target === component[0]);
}

/** Node sets (in input order) of the loops that can spin without waiting or a bounded counter. */
export function findSpinningCycles(nodes: CycleNode[], edges: CycleEdge[]): string[][] {
  const graph: Graph = { nodes: new Map(nodes.map((n) => [n.id, n])), edges };
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const found = new Map<string, string[]>();
  let splits = 0;

  const check = (nodeIds: Set<string>, usable: CycleEdge[]): void => {
    for (const component of stronglyConnected(nodeIds, usable)) {
      if (!isCycle(component, usable)) continue;
      const set = new Set(component);
      const counter = splits < MAX_SPLITS ? findCounter(graph, set, usable) : null;
      if (!counter) {
        const sorted = [...component].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
        found.set(sorted.join('\u0000'), sorted);
        continue;
      }
      splits++;
      check(
        set,
        usable.filter((e) => !counter.boundedEdges.has(e.id)),
      );
      check(new Set(component.filter((id) => !counter.steppers.has(id))), usable);
    }
  };

  check(new Set(nodes.filter((n) => !n.waits).map((n) => n.id)), edges);
  return [...found.values()].sort((a, b) => (order.get(a[0]) as number) - (order.get(b[0]) as number));
}
