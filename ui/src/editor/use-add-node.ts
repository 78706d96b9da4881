/**
 * Adding nodes from the palette: dropped where the CX lead drops them, or clicked into the middle
 * of the view. Each new node gets its type's default data and is selected for the inspector.
 * The callbacks read the document through its ref, so they stay the same while the flow is edited
 * and the (memoized) palette does not re-render on every keystroke in the inspector.
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, type DragEvent, type RefObject } from 'react';
import type { CanvasEdge, CanvasNode } from './convert';
import { NODE_WIDTH } from './layout';
import { DRAG_TYPE } from './Palette';
import { usePalette } from './palette-context';
import type { FlowEditor } from './use-flow-editor';

export function useAddNode({
  editor,
  canvasRef,
  readOnly,
  onAdded,
}: {
  editor: FlowEditor;
  canvasRef: RefObject<HTMLDivElement | null>;
  readOnly: boolean;
  onAdded: () => void;
}) {
  const rf = useReactFlow<CanvasNode, CanvasEdge>();
  const palette = usePalette();
  const { addNode, docRef } = editor;
  const dataFor = useCallback((type: string) => palette.byType.get(type)?.defaultData ?? {}, [palette]);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      if (readOnly) return;
      const type = event.dataTransfer.getData(DRAG_TYPE);
      // A flow has one start.
      if (!type || (type === 'start' && docRef.current.nodes.some((n) => n.type === 'start'))) return;
      const p = rf.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const position = Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: p.x - NODE_WIDTH / 2, y: p.y - 30 } : { x: 0, y: 0 };
      addNode(type, position, dataFor(type));
      onAdded();
    },
    [rf, addNode, docRef, dataFor, readOnly, onAdded],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const addAtCenter = useCallback(
    (type: string) => {
      const box = canvasRef.current?.getBoundingClientRect();
      const p = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
      // Nudge so repeated clicks do not stack exactly.
      const n = docRef.current.nodes.length % 5;
      addNode(type, { x: p.x - NODE_WIDTH / 2 + n * 24, y: p.y - 30 + n * 24 }, dataFor(type));
      onAdded();
    },
    [rf, addNode, docRef, dataFor, canvasRef, onAdded],
  );

  return { onDrop, onDragOver, addAtCenter };
}
