/** A node's name as the CX lead reads it: its label, else its type's title, else its id. */
import { useCallback, useMemo } from 'react';
import type { CanvasNode } from './convert';
import { usePalette } from './palette-context';

export function useNodeName(nodes: CanvasNode[]): (id: string) => string {
  const palette = usePalette();
  const nodeById = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  return useCallback(
    (id: string) => {
      const n = nodeById.get(id);
      if (!n) return id;
      const label = typeof n.data.label === 'string' && n.data.label.trim() ? n.data.label : null;
      return label ?? palette.byType.get(n.type ?? '')?.title ?? id;
    },
    [nodeById, palette],
  );
}
