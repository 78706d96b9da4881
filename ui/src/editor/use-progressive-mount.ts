/**
 * A large flow mounts its nodes in batches (the start's neighbourhood first), so opening it never
 * blocks the page for the time it takes to render and measure every node at once. A small flow
 * mounts whole. Measures `cauce:open-complete` when the last batch is in.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { measure } from '../perf';
import type { CanvasEdge, CanvasNode } from './convert';
import { bfsOrder, LARGE_FLOW, MOUNT_BATCH } from './mount-order';
import type { EditorDoc } from './use-flow-editor';

export function useProgressiveMount(initial: EditorDoc, doc: EditorDoc, openedAt: number) {
  // The order is the opened flow's: nodes added later are mounted at once.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const mountOrder = useMemo(() => new Map(bfsOrder(initial).map((id, i) => [id, i])), []);
  /** True while batches are still coming: the open view measures completion only when it is false. */
  const progressive = useRef(initial.nodes.length > LARGE_FLOW);
  const [mounted, setMounted] = useState(() => (progressive.current ? MOUNT_BATCH : Infinity));
  const allMounted = mounted >= initial.nodes.length;
  useEffect(() => {
    if (allMounted) {
      if (progressive.current) {
        progressive.current = false;
        requestAnimationFrame(() => measure('cauce:open-complete', openedAt, { nodes: doc.nodes.length }));
      }
      return;
    }
    const id = setTimeout(() => setMounted((m) => (m + MOUNT_BATCH >= initial.nodes.length ? Infinity : m + MOUNT_BATCH)), 0);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mounted, allMounted]);
  const nodes = useMemo<CanvasNode[]>(
    () => (allMounted ? doc.nodes : doc.nodes.filter((n) => (mountOrder.get(n.id) ?? 0) < mounted)),
    [allMounted, doc.nodes, mountOrder, mounted],
  );
  const edges = useMemo<CanvasEdge[]>(
    () => (allMounted ? doc.edges : doc.edges.filter((e) => (mountOrder.get(e.source) ?? 0) < mounted && (mountOrder.get(e.target) ?? 0) < mounted)),
    [allMounted, doc.edges, mountOrder, mounted],
  );
  return { nodes, edges, progressive };
}
