/**
 * A read-only flow graph (run pages, the dashboard): the editor's nodes and handles, laid out when
 * the flow has no positions, with highlights from a CanvasSignals store and decorated edges.
 */
import { Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { FlowDefinition } from '../../../workflows/language';
import { Spinner } from '../components/common';
import { layoutInput, placed, toCanvas, type CanvasEdge, type CanvasNode } from '../editor/convert';
import { useLayoutRunner } from '../editor/use-layout';
import { nodeTypes } from '../editor/nodes/CauceNode';
import { CanvasSignals, SignalsContext } from '../editor/signals';

const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };

export function FlowGraph({
  definition,
  signals,
  decorateEdge,
  onNodeClick,
  testId,
}: {
  definition: FlowDefinition;
  signals: CanvasSignals;
  decorateEdge?: (edge: CanvasEdge) => Edge;
  onNodeClick?: (id: string) => void;
  testId?: string;
}) {
  const runLayout = useLayoutRunner();
  const canvas = useMemo(() => toCanvas(definition), [definition]);
  const [base, setBase] = useState<{ nodes: CanvasNode[]; edges: CanvasEdge[] } | null>(canvas.positioned ? canvas : null);
  useEffect(() => {
    if (canvas.positioned) return setBase(canvas);
    setBase(null);
    const input = layoutInput(canvas.nodes, canvas.edges);
    let cancelled = false;
    void runLayout(input.nodes, input.edges).then((positions) => !cancelled && setBase({ nodes: placed(canvas.nodes, positions), edges: canvas.edges }));
    return () => {
      cancelled = true;
    };
  }, [canvas, runLayout]);
  const edges = useMemo(() => (base ? (decorateEdge ? base.edges.map(decorateEdge) : base.edges) : []), [base, decorateEdge]);
  if (!base) return <Spinner />;
  return (
    <SignalsContext.Provider value={signals}>
      <ReactFlowProvider>
        <div className="graph" data-testid={testId}>
          <ReactFlow<CanvasNode, Edge>
            nodes={base.nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            deleteKeyCode={null}
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
            minZoom={0.05}
            onlyRenderVisibleElements={base.nodes.length > 150}
            onNodeClick={onNodeClick ? (_e, n) => onNodeClick(n.id) : undefined}
            onError={(code) => code !== '002' && code !== '003' && code !== '008' && console.warn(`React Flow ${code}`)}
          >
            <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
      </ReactFlowProvider>
    </SignalsContext.Provider>
  );
}
