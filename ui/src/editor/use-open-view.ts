/**
 * Opening a flow: once React Flow has measured every mounted node, fit the view (the whole flow,
 * or for a large one its first nodes at a readable zoom; the minimap shows all), then mark the
 * canvas ready (`data-ready`, which the browser tests and the benchmark wait for) and measure
 * `cauce:open`.
 */
import { useNodesInitialized, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, type MutableRefObject, type RefObject } from 'react';
import { measure } from '../perf';
import type { CanvasEdge, CanvasNode } from './convert';
import { firstNodes, LARGE_FLOW } from './mount-order';
import type { EditorDoc } from './use-flow-editor';

export function useOpenView({
  docRef,
  canvasRef,
  openedAt,
  progressive,
}: {
  docRef: MutableRefObject<EditorDoc>;
  canvasRef: RefObject<HTMLDivElement | null>;
  openedAt: number;
  progressive: MutableRefObject<boolean>;
}) {
  const rf = useReactFlow<CanvasNode, CanvasEdge>();
  /** Fits the view as a flow opens; also after a layout or a restore. */
  const fitInitial = useCallback(
    (duration = 0) => {
      const d = docRef.current;
      if (d.nodes.length <= LARGE_FLOW) return rf.fitView({ maxZoom: 1.1, padding: 0.15, duration });
      return rf.fitView({ nodes: firstNodes(d, 8).map((id) => ({ id })), maxZoom: 1, minZoom: 0.6, padding: 0.3, duration });
    },
    [rf, docRef],
  );
  const initialized = useNodesInitialized();
  const opened = useRef(false);
  useEffect(() => {
    if (!initialized || opened.current) return;
    opened.current = true;
    void fitInitial();
    canvasRef.current?.setAttribute('data-nodes-mounted', 'first');
    const nodes = docRef.current.nodes.length;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        measure('cauce:open', openedAt, { nodes });
        if (!progressive.current) measure('cauce:open-complete', openedAt, { nodes });
        canvasRef.current?.setAttribute('data-ready', 'true');
      }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialized]);
  return fitInitial;
}
