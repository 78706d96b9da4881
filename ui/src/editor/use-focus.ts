/**
 * Bringing a node or an edge into view: selected, shown in the inspector and centred at a
 * readable zoom. Used by the problems panel, the inspector's links and the versions' diff.
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import type { FlowProblem } from '../../../workflows/language';
import type { CanvasEdge, CanvasNode } from './convert';
import { NODE_WIDTH } from './layout';
import type { FlowEditor } from './use-flow-editor';

export function useFocus(editor: FlowEditor, showInspector: () => void) {
  const rf = useReactFlow<CanvasNode, CanvasEdge>();
  const { select, docRef } = editor;
  const focusNode = useCallback(
    (id: string) => {
      const internal = rf.getInternalNode(id);
      if (!internal) return;
      select([id]);
      showInspector();
      const w = internal.measured.width ?? NODE_WIDTH;
      const h = internal.measured.height ?? 80;
      void rf.setCenter(internal.internals.positionAbsolute.x + w / 2, internal.internals.positionAbsolute.y + h / 2, {
        zoom: Math.max(rf.getZoom(), 1),
        duration: 300,
      });
    },
    [rf, select, showInspector],
  );
  /** A problem names a node (or several: the first), or else an edge: centred on its source. */
  const focusProblem = useCallback(
    (p: FlowProblem) => {
      const id = p.nodeId ?? p.nodeIds?.[0];
      if (id) return focusNode(id);
      if (!p.edgeId) return;
      const edge = docRef.current.edges.find((e) => e.id === p.edgeId);
      if (!edge) return;
      select([], [edge.id]);
      showInspector();
      const source = rf.getInternalNode(edge.source);
      if (source)
        void rf.setCenter(source.internals.positionAbsolute.x + NODE_WIDTH / 2, source.internals.positionAbsolute.y + 80, {
          zoom: Math.max(rf.getZoom(), 1),
          duration: 300,
        });
    },
    [focusNode, select, docRef, rf, showInspector],
  );
  return { focusNode, focusProblem };
}
