/**
 * "Order automatically": lays the flow out (in the layout Web Worker where there is one) as one
 * undo step, then fits the view. The canvas says where it is (`data-layout` running/done) and the
 * run is measured as `cauce:layout`.
 */
import { useCallback, useState, type RefObject } from 'react';
import { measure } from '../perf';
import { layoutInput } from './convert';
import type { FlowEditor } from './use-flow-editor';
import type { LayoutRunner } from './use-layout';

export function useAutoLayout({
  editor,
  runLayout,
  canvasRef,
  fitView,
}: {
  editor: FlowEditor;
  runLayout: LayoutRunner;
  canvasRef: RefObject<HTMLDivElement | null>;
  fitView: (duration?: number) => unknown;
}) {
  const [layingOut, setLayingOut] = useState(false);
  const { docRef, applyPositions } = editor;
  const autoLayout = useCallback(async () => {
    if (layingOut) return;
    const started = performance.now();
    setLayingOut(true);
    canvasRef.current?.setAttribute('data-layout', 'running');
    try {
      const { nodes, edges } = layoutInput(docRef.current.nodes, docRef.current.edges);
      applyPositions(await runLayout(nodes, edges));
    } finally {
      setLayingOut(false);
    }
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        measure('cauce:layout', started, { nodes: docRef.current.nodes.length });
        canvasRef.current?.setAttribute('data-layout', 'done');
        void fitView(200);
      }),
    );
  }, [docRef, applyPositions, runLayout, layingOut, fitView, canvasRef]);
  return { layingOut, autoLayout };
}
