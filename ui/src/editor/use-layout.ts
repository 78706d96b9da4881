/**
 * Runs auto-layout in the layout Web Worker (or, without workers, on the main thread after the
 * next paint) and resolves with the positions. One worker per editor; concurrent calls queue.
 */
import { useCallback, useEffect, useRef } from 'react';
import { computeLayout, type LayoutEdge, type LayoutNode, type Positions } from './layout';
import { createLayoutWorker } from './workers';

export type LayoutRunner = (nodes: LayoutNode[], edges: LayoutEdge[]) => Promise<Positions>;

function plain(nodes: LayoutNode[], edges: LayoutEdge[]) {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, data: n.data, width: n.width, height: n.height })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null })),
  };
}

export function useLayoutRunner(): LayoutRunner {
  const worker = useRef<Worker | null | undefined>(undefined);
  const pending = useRef(new Map<number, { resolve: (p: Positions) => void; nodes: LayoutNode[]; edges: LayoutEdge[] }>());
  const seq = useRef(0);

  useEffect(() => {
    const w = createLayoutWorker();
    worker.current = w;
    if (!w) return;
    const waiting = pending.current;
    w.onmessage = (event: MessageEvent<{ id: number; positions: Positions }>) => {
      const p = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      p?.resolve(event.data.positions);
    };
    w.onerror = () => {
      // The worker could not start: lay out on the main thread instead.
      w.terminate();
      worker.current = null;
      for (const [id, p] of waiting) {
        waiting.delete(id);
        p.resolve(computeLayout(p.nodes, p.edges));
      }
    };
    return () => {
      w.terminate();
      worker.current = null;
      // Whatever the worker had not answered yet is laid out here instead.
      for (const [id, p] of waiting) {
        waiting.delete(id);
        p.resolve(computeLayout(p.nodes, p.edges));
      }
    };
  }, []);

  return useCallback((nodes: LayoutNode[], edges: LayoutEdge[]) => {
    const data = plain(nodes, edges);
    const w = worker.current;
    if (!w) return new Promise<Positions>((resolve) => setTimeout(() => resolve(computeLayout(data.nodes, data.edges)), 0));
    const id = ++seq.current;
    return new Promise<Positions>((resolve) => {
      pending.current.set(id, { resolve, ...data });
      w.postMessage({ id, ...data });
    });
  }, []);
}
