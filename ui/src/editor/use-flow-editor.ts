/**
 * The editor's document (nodes, edges, flow variables) with undo/redo, copy/paste and the edits
 * the canvas and the inspector make. Every edit that changes the flow records a snapshot first;
 * quick successive edits of one field coalesce into one undo step.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { nodeBranches, type VariableDeclaration } from '../../../workflows/language';
import { cloneData, edgeId, newNodeId, TARGET_HANDLE, toFlow, type CanvasEdge, type CanvasNode } from './convert';
import type { Positions } from './layout';

export interface EditorDoc {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  variables: VariableDeclaration[];
}

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1200;

/** The clipboard is module-wide: copy in one flow, paste in another. */
let clipboard: { nodes: CanvasNode[]; edges: CanvasEdge[] } | null = null;

function strip(doc: EditorDoc): EditorDoc {
  return {
    nodes: doc.nodes.map(({ selected: _s, dragging: _d, ...n }) => n),
    edges: doc.edges.map(({ selected: _s, ...e }) => e),
    variables: doc.variables,
  };
}

/**
 * The branch an edit renamed, as the edge that should follow it: when the edit brings exactly one new
 * branch and exactly one edge of the node leaves from a branch that no longer exists, that edge moves
 * to the new branch. This covers an intent id, an option value or a case edited in place, letter by
 * letter, and one cleared and typed anew (the edge waits, unattached, while the name is empty).
 */
export function followRename(before: string[], after: string[], handles: string[]): { from: string; to: string } | null {
  const added = after.filter((b) => !before.includes(b));
  const orphans = [...new Set(handles.filter((h) => !after.includes(h)))];
  return added.length === 1 && orphans.length === 1 ? { from: orphans[0], to: added[0] } : null;
}

export function useFlowEditor(initial: EditorDoc) {
  const [doc, setDoc] = useState<EditorDoc>(initial);
  const docRef = useRef(doc);
  const past = useRef<EditorDoc[]>([]);
  const future = useRef<EditorDoc[]>([]);
  const coalesce = useRef<{ key: string; at: number } | null>(null);
  const dragging = useRef(false);
  const deleting = useRef(false);
  const pasteCount = useRef(0);
  const [, setHistoryTick] = useState(0);
  /** Bumped by any change to what is saved (positions included): drives "unsaved changes". */
  const [revision, setRevision] = useState(0);
  const [savedRevision, setSavedRevision] = useState(0);
  /** Bumped by changes that matter to the validator (not positions). */
  const [structure, setStructure] = useState(0);

  const commit = useCallback((next: EditorDoc, kind: 'none' | 'position' | 'structure') => {
    docRef.current = next;
    setDoc(next);
    if (kind !== 'none') setRevision((r) => r + 1);
    if (kind === 'structure') setStructure((s) => s + 1);
  }, []);

  /** Records the current document as an undo step (coalescing quick edits that share a key). */
  const record = useCallback((key?: string) => {
    const now = Date.now();
    if (key && coalesce.current && coalesce.current.key === key && now - coalesce.current.at < COALESCE_MS) {
      coalesce.current.at = now;
      return;
    }
    coalesce.current = key ? { key, at: now } : null;
    past.current.push(strip(docRef.current));
    if (past.current.length > HISTORY_LIMIT) past.current.shift();
    future.current = [];
    setHistoryTick((x) => x + 1);
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const removes = changes.some((c) => c.type === 'remove');
      const adds = changes.some((c) => c.type === 'add' || c.type === 'replace');
      const moves = changes.some((c) => c.type === 'position' && c.position);
      if (removes || adds) {
        record();
        if (removes) {
          deleting.current = true;
          setTimeout(() => (deleting.current = false), 0);
        }
      } else if (moves && !dragging.current) {
        record('keyboard-move');
      }
      const next = { ...docRef.current, nodes: applyNodeChanges(changes, docRef.current.nodes) };
      commit(next, removes || adds ? 'structure' : moves ? 'position' : 'none');
    },
    [commit, record],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const removes = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      if (removes && !deleting.current) record();
      commit({ ...docRef.current, edges: applyEdgeChanges(changes, docRef.current.edges) }, removes ? 'structure' : 'none');
    },
    [commit, record],
  );

  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
    record();
  }, [record]);
  const onNodeDragStop = useCallback(() => {
    dragging.current = false;
  }, []);

  /** A new edge from a branch; a branch has exactly one edge, so an older one is replaced. */
  const connect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || !c.sourceHandle) return;
      record();
      const edges = docRef.current.edges.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle));
      edges.push({
        id: edgeId(c.source, c.sourceHandle, c.target),
        source: c.source,
        sourceHandle: c.sourceHandle,
        target: c.target,
        targetHandle: TARGET_HANDLE,
      });
      commit({ ...docRef.current, edges }, 'structure');
    },
    [commit, record],
  );

  const addNode = useCallback(
    (type: string, position: XYPosition, data: Record<string, unknown>): string => {
      record();
      const taken = new Set(docRef.current.nodes.map((n) => n.id));
      const id = newNodeId(type, taken);
      const node: CanvasNode = { id, type, position, data: cloneData(data), selected: true };
      commit(
        {
          ...docRef.current,
          nodes: [...docRef.current.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          edges: docRef.current.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        },
        'structure',
      );
      return id;
    },
    [commit, record],
  );

  const updateNodeData = useCallback(
    (id: string, data: Record<string, unknown>, field = '') => {
      record(`data:${id}:${field}`);
      const node = docRef.current.nodes.find((n) => n.id === id);
      const handles = docRef.current.edges.filter((e) => e.source === id).map((e) => e.sourceHandle ?? '');
      const renamed = node
        ? followRename(nodeBranches({ type: node.type ?? '', data: node.data }), nodeBranches({ type: node.type ?? '', data }), handles)
        : null;
      // Renaming an intent id, an option value or a case keeps its connection: the edge follows the branch.
      const edges = renamed
        ? docRef.current.edges.map((e) =>
            e.source === id && e.sourceHandle === renamed.from ? { ...e, id: edgeId(id, renamed.to, e.target), sourceHandle: renamed.to } : e,
          )
        : docRef.current.edges;
      commit({ ...docRef.current, edges, nodes: docRef.current.nodes.map((n) => (n.id === id ? { ...n, data } : n)) }, 'structure');
    },
    [commit, record],
  );

  const setVariables = useCallback(
    (variables: VariableDeclaration[]) => {
      record('variables');
      commit({ ...docRef.current, variables }, 'structure');
    },
    [commit, record],
  );

  const removeElements = useCallback(
    (nodeIds: string[], edgeIds: string[] = []) => {
      const nodes = new Set(nodeIds);
      const edges = new Set(edgeIds);
      record();
      commit(
        {
          ...docRef.current,
          nodes: docRef.current.nodes.filter((n) => !nodes.has(n.id)),
          edges: docRef.current.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
        },
        'structure',
      );
    },
    [commit, record],
  );

  const select = useCallback(
    (nodeIds: string[], edgeIds: string[] = []) => {
      const n = new Set(nodeIds);
      const e = new Set(edgeIds);
      commit(
        {
          ...docRef.current,
          nodes: docRef.current.nodes.map((x) => (!!x.selected === n.has(x.id) ? x : { ...x, selected: n.has(x.id) })),
          edges: docRef.current.edges.map((x) => (!!x.selected === e.has(x.id) ? x : { ...x, selected: e.has(x.id) })),
        },
        'none',
      );
    },
    [commit],
  );

  /** Moves nodes to laid-out positions (auto-layout): one undo step. */
  const applyPositions = useCallback(
    (positions: Positions) => {
      record();
      commit({ ...docRef.current, nodes: docRef.current.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) }, 'position');
    },
    [commit, record],
  );

  /** Replaces the whole document (a version restored): one undo step. */
  const replace = useCallback(
    (next: EditorDoc) => {
      record();
      commit(next, 'structure');
    },
    [commit, record],
  );

  const undo = useCallback(() => {
    const previous = past.current.pop();
    if (!previous) return;
    future.current.push(strip(docRef.current));
    coalesce.current = null;
    setHistoryTick((x) => x + 1);
    commit(previous, 'structure');
  }, [commit]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next) return;
    past.current.push(strip(docRef.current));
    coalesce.current = null;
    setHistoryTick((x) => x + 1);
    commit(next, 'structure');
  }, [commit]);

  const copy = useCallback((): number => {
    const nodes = docRef.current.nodes.filter((n) => n.selected);
    if (nodes.length === 0) return 0;
    const ids = new Set(nodes.map((n) => n.id));
    clipboard = {
      nodes: nodes.map(({ selected: _s, dragging: _d, measured: _m, ...n }) => cloneData(n)),
      edges: docRef.current.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => cloneData(e)),
    };
    pasteCount.current = 0;
    try {
      void navigator.clipboard?.writeText(JSON.stringify({ cauce: 1, ...clipboard })).catch(() => undefined);
    } catch {
      // the system clipboard is a bonus
    }
    return nodes.length;
  }, []);

  const cut = useCallback(() => {
    const count = copy();
    if (count) removeElements(docRef.current.nodes.filter((n) => n.selected).map((n) => n.id));
    return count;
  }, [copy, removeElements]);

  const paste = useCallback((): number => {
    if (!clipboard || clipboard.nodes.length === 0) return 0;
    if (clipboard.nodes.every((n) => n.type === 'start') && docRef.current.nodes.some((n) => n.type === 'start')) return 0;
    record();
    pasteCount.current += 1;
    const offset = 40 * pasteCount.current;
    const taken = new Set(docRef.current.nodes.map((n) => n.id));
    const ids = new Map<string, string>();
    const hasStart = docRef.current.nodes.some((n) => n.type === 'start');
    // A flow has one start: a copied start node is not pasted next to another.
    const nodes = clipboard.nodes
      .filter((n) => n.type !== 'start' || !hasStart)
      .map((n) => {
        const id = newNodeId(n.type ?? 'node', taken);
        taken.add(id);
        ids.set(n.id, id);
        return { ...cloneData(n), id, position: { x: n.position.x + offset, y: n.position.y + offset }, selected: true };
      });
    const edges = clipboard.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => {
        const source = ids.get(e.source)!;
        const target = ids.get(e.target)!;
        return { ...e, id: edgeId(source, e.sourceHandle ?? '', target), source, target, selected: false };
      });
    commit(
      {
        ...docRef.current,
        nodes: [...docRef.current.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes],
        edges: [...docRef.current.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...edges],
      },
      'structure',
    );
    return nodes.length;
  }, [commit, record]);

  const selectAll = useCallback(() => {
    select(docRef.current.nodes.map((n) => n.id));
  }, [select]);

  const markSaved = useCallback((at?: number) => setSavedRevision(at ?? revision), [revision]);

  /** The flow as the validator sees it; recomputed on structural changes only. */
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const flowForValidation = useMemo(() => toFlow(docRef.current.nodes, docRef.current.edges, docRef.current.variables), [structure]);

  return {
    doc,
    docRef,
    revision,
    dirty: revision !== savedRevision,
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
    flowForValidation,
    current: () => toFlow(docRef.current.nodes, docRef.current.edges, docRef.current.variables),
    onNodesChange,
    onEdgesChange,
    onNodeDragStart,
    onNodeDragStop,
    connect,
    addNode,
    updateNodeData,
    setVariables,
    removeElements,
    select,
    selectAll,
    applyPositions,
    replace,
    undo,
    redo,
    copy,
    cut,
    paste,
    markSaved,
  };
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
