/**
 * The order a flow's nodes come into view: breadth first from the start. A large flow mounts in
 * that order (use-progressive-mount.ts) and opens on its first nodes (use-open-view.ts).
 */
import type { EditorDoc } from './use-flow-editor';

/** Above this many nodes a flow mounts in batches and opens on its start's neighbourhood. */
export const LARGE_FLOW = 60;
/** Nodes mounted per batch of a large flow. */
export const MOUNT_BATCH = 20;

/** Node ids breadth first from the start, then any the start does not reach. */
export function bfsOrder(doc: Pick<EditorDoc, 'nodes' | 'edges'>): string[] {
  const start = doc.nodes.find((n) => n.type === 'start') ?? doc.nodes[0];
  if (!start) return [];
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set([start.id]);
  const queue = [start.id];
  for (let i = 0; i < queue.length; i++) {
    for (const target of out.get(queue[i]) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const n of doc.nodes) if (!seen.has(n.id)) queue.push(n.id);
  return queue;
}

/** The first nodes from the start, breadth first and near it: what a large flow opens on. */
export function firstNodes(doc: Pick<EditorDoc, 'nodes' | 'edges'>, count: number): string[] {
  const start = doc.nodes.find((n) => n.type === 'start') ?? doc.nodes[0];
  if (!start) return [];
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const near = (id: string) => {
    const p = byId.get(id)?.position;
    return !!p && Math.abs(p.y - start.position.y) < 900 && Math.abs(p.x - start.position.x) < 1400;
  };
  return bfsOrder(doc).filter(near).slice(0, count);
}
