/// <reference lib="webworker" />
/** Lays flows out off the main thread: the canvas stays responsive while dagre works. */
import { computeLayout, type LayoutEdge, type LayoutNode } from './layout';

self.onmessage = (event: MessageEvent<{ id: number; nodes: LayoutNode[]; edges: LayoutEdge[] }>) => {
  const { id, nodes, edges } = event.data;
  const started = performance.now();
  const positions = computeLayout(nodes, edges);
  (self as unknown as Worker).postMessage({ id, positions, ms: performance.now() - started });
};
