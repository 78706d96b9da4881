/**
 * What the side panels paint on the canvas: the simulator's run (its current node, the nodes it
 * visited and the edges it took, animated) and the versions panel's diff against the draft
 * (nodes added or changed).
 */
import { useCallback, useMemo, useState } from 'react';
import type { FlowDiff } from '../api/types';
import type { CanvasEdge } from './convert';
import type { CanvasSignals } from './signals';
import type { SimulationState } from './simulator/Simulator';
import type { EditorDoc } from './use-flow-editor';

export function useRunHighlights(signals: CanvasSignals, docRef: { current: EditorDoc }) {
  const [taken, setTaken] = useState<Set<string>>(new Set());

  const onSimulation = useCallback(
    (s: SimulationState | null) => {
      signals.setActive(s?.currentNode ?? null);
      signals.setVisited(new Set(s?.path.map((p) => p.nodeId) ?? []));
      const ids = new Set<string>();
      if (s) {
        const edges = docRef.current.edges;
        s.path.forEach((step, i) => {
          const next = s.path[i + 1];
          if (!step.branch || !next) return;
          const e = edges.find((x) => x.source === step.nodeId && x.sourceHandle === step.branch && x.target === next.nodeId);
          if (e) ids.add(e.id);
        });
      }
      setTaken((prev) => (prev.size === ids.size && [...ids].every((x) => prev.has(x)) ? prev : ids));
    },
    [signals, docRef],
  );

  const onDiff = useCallback(
    (d: FlowDiff | null) => {
      const marks = new Map<string, 'added' | 'changed'>();
      if (d && d.to === 'draft') {
        for (const id of d.nodes.added) marks.set(id, 'added');
        for (const c of d.nodes.changed) marks.set(c.id, 'changed');
      }
      signals.setDiff(marks);
    },
    [signals],
  );

  return { taken, onSimulation, onDiff };
}

/** The edges with the simulated run's path marked as taken. */
export function useTakenEdges(edges: CanvasEdge[], taken: Set<string>): CanvasEdge[] {
  return useMemo(
    () => (taken.size === 0 ? edges : edges.map((e) => (taken.has(e.id) ? { ...e, className: 'edge-taken', animated: true } : e))),
    [edges, taken],
  );
}
