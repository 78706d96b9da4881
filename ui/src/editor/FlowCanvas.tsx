/**
 * The canvas: React Flow with Cauce's nodes, smooth-step edges with arrows, the minimap coloured by
 * category (red for a node with errors), and the drop target for palette entries.
 */
import { Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, type Connection, type Edge, type IsValidConnection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useContext, type DragEvent, type RefObject } from 'react';
import { useT } from '../i18n';
import type { CanvasEdge, CanvasNode } from './convert';
import { CANVAS_DELETE_KEYS } from './keymap';
import { nodeTypes } from './nodes/CauceNode';
import { usePalette } from './palette-context';
import { SignalsContext } from './signals';
import type { FlowEditor } from './use-flow-editor';

const CATEGORY_COLORS: Record<string, string> = {
  trigger: '#16a34a',
  conversation: '#2563eb',
  logic: '#d97706',
  timing: '#7c3aed',
  ai: '#db2777',
  crm: '#0891b2',
  notify: '#ea580c',
  integration: '#475569',
  experiment: '#65a30d',
  end: '#334155',
  custom: '#0f766e',
};

const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const PRO_OPTIONS = { hideAttribution: false };
/** Above this many nodes React Flow renders only what is in view. */
const RENDER_VISIBLE_ONLY = 150;
/** React Flow warnings the editor expects: its node types come from a proxy (002, 003), and an edge
 * can be drawn before its branch's handle is measured (008). */
const QUIET_ERRORS = new Set(['002', '003', '008']);

export function FlowCanvas({
  editor,
  nodes,
  edges,
  readOnly,
  canvasRef,
  onDrop,
  onDragOver,
}: {
  editor: FlowEditor;
  /** What is mounted so far (see use-progressive-mount.ts), with the simulated path marked. */
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  readOnly: boolean;
  canvasRef: RefObject<HTMLDivElement | null>;
  onDrop: (event: DragEvent) => void;
  onDragOver: (event: DragEvent) => void;
}) {
  const t = useT();
  const palette = usePalette();
  const signals = useContext(SignalsContext);
  const { docRef } = editor;
  const count = editor.doc.nodes.length;

  // An edge leaves a named branch and never enters the start.
  const isValidConnection: IsValidConnection = useCallback(
    (c: Edge | Connection) => {
      const target = docRef.current.nodes.find((n) => n.id === c.target);
      return !!c.sourceHandle && target?.type !== 'start';
    },
    [docRef],
  );
  const minimapColor = useCallback(
    (n: CanvasNode) => (signals.get(n.id).errors > 0 ? '#dc2626' : (CATEGORY_COLORS[palette.byType.get(n.type ?? '')?.category ?? 'custom'] ?? '#64748b')),
    [signals, palette],
  );

  return (
    <div className="canvas" ref={canvasRef} onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas" data-nodes={count}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.connect}
        onNodeDragStart={editor.onNodeDragStart}
        onNodeDragStop={editor.onNodeDragStop}
        isValidConnection={isValidConnection}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : CANVAS_DELETE_KEYS}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements={count > RENDER_VISIBLE_ONLY}
        onError={(code) => !QUIET_ERRORS.has(code) && console.warn(`React Flow ${code}`)}
        proOptions={PRO_OPTIONS}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <Controls showInteractive={false} />
        <MiniMap<CanvasNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          nodeStrokeWidth={2}
          ariaLabel={t('editor.minimap')}
          style={{ width: 150, height: 100 }}
        />
      </ReactFlow>
      {count <= 1 && !readOnly && <div className="canvas-hint">{t('editor.emptyHint')}</div>}
    </div>
  );
}
