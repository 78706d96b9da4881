/**
 * The flow editor: palette, canvas, inspector, simulator and versions around one flow's draft.
 * Validation runs client-side on every change (the flow language's validateFlow); saving asks the
 * server's /validate too, and publishing shows the server's verdict.
 */
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { FlowDefinition, FlowProblem } from '../../../workflows/language';
import { ApiError } from '../api/client';
import type { Flow, FlowDiff } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { ErrorMessage, Modal, Spinner, StatusBadge, useErrorText } from '../components/common';
import { useAsync } from '../hooks';
import { useLocale, useT } from '../i18n';
import { measure } from '../perf';
import { Link } from '../router';
import { layoutInput, placed, toCanvas, type CanvasEdge, type CanvasNode } from './convert';
import { scopeVariables } from './form/scope';
import { Inspector } from './Inspector';
import { NODE_WIDTH } from './layout';
import { nodeTypes } from './nodes/CauceNode';
import { DRAG_TYPE, Palette } from './Palette';
import { PaletteProvider, usePalette } from './palette-context';
import { ProblemsPanel, type ServerCheck } from './ProblemsPanel';
import { CanvasSignals, SignalsContext, type ProblemMark } from './signals';
import { Simulator, type SimulationState } from './simulator/Simulator';
import { useFlowEditor, type EditorDoc } from './use-flow-editor';
import { useLayoutRunner, type LayoutRunner } from './use-layout';
import { useFlowValidation } from './use-validation';
import { VersionsPanel } from './versions/VersionsPanel';

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

type Tab = 'inspect' | 'simulate' | 'versions';

interface Banner {
  kind: 'success' | 'error' | 'info';
  text: string;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
  const rows: [string, string][] = [
    [`${mod}+Z`, t('shortcuts.undo')],
    [`${mod}+Shift+Z / ${mod}+Y`, t('shortcuts.redo')],
    [`${mod}+C / ${mod}+X / ${mod}+V`, t('shortcuts.copyPaste')],
    [`${mod}+D`, t('shortcuts.duplicate')],
    [`${mod}+A`, t('shortcuts.selectAll')],
    [`${mod}+S`, t('shortcuts.save')],
    ['Supr / ⌫', t('shortcuts.delete')],
    ['Shift+L', t('shortcuts.layout')],
    ['F', t('shortcuts.fit')],
    ['?', t('shortcuts.help')],
  ];
  return (
    <Modal title={t('shortcuts.title')} onClose={onClose}>
      <table className="table shortcuts">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

/** Node ids breadth first from the start, then any the start does not reach. */
function bfsOrder(doc: EditorDoc): string[] {
  const start = doc.nodes.find((n) => n.type === 'start') ?? doc.nodes[0];
  if (!start) return [];
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set([start.id]);
  const queue = [start.id];
  for (let i = 0; i < queue.length; i++) {
    for (const target of out.get(queue[i]) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const n of doc.nodes) if (!seen.has(n.id)) queue.push(n.id);
  return queue;
}

/** The first nodes from the start, breadth first and near it: what a large flow opens on. */
function firstNodes(doc: EditorDoc, count: number): string[] {
  const start = doc.nodes.find((n) => n.type === 'start') ?? doc.nodes[0];
  if (!start) return [];
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const near = (id: string) => {
    const p = byId.get(id)?.position;
    return !!p && Math.abs(p.y - start.position.y) < 900 && Math.abs(p.x - start.position.x) < 1400;
  };
  return bfsOrder(doc).filter(near).slice(0, count);
}

const LARGE_FLOW = 60;
const MOUNT_BATCH = 20;

function EditorWorkspace({ flow, initial, openedAt, runLayout }: { flow: Flow; initial: EditorDoc; openedAt: number; runLayout: LayoutRunner }) {
  const t = useT();
  const api = useApi();
  const { can } = useAuth();
  const [locale] = useLocale();
  const errorText = useErrorText();
  const palette = usePalette();
  const rf = useReactFlow<CanvasNode, CanvasEdge>();
  const canvasRef = useRef<HTMLDivElement>(null);
  const editor = useFlowEditor(initial);
  const { doc } = editor;

  const [meta, setMetaState] = useState({ name: flow.name, description: flow.description });
  const [metaDirty, setMetaDirty] = useState(false);
  const [info, setInfo] = useState({ status: flow.status, latestVersion: flow.latestVersion });
  const [saving, setSaving] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [server, setServer] = useState<ServerCheck | null>(null);
  const [banner, setBanner] = useState<Banner | null>(null);
  const [tab, setTab] = useState<Tab>('inspect');
  const [versionsKey, setVersionsKey] = useState(0);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [taken, setTaken] = useState<Set<string>>(new Set());
  const readOnly = info.status === 'archived' || !can('flows.write');
  const dirty = editor.dirty || metaDirty;

  // ---- validation --------------------------------------------------------------------------------
  const validation = useFlowValidation(editor.flowForValidation, locale, palette.customActivities);
  const problems = useMemo(() => (validation ? [...validation.errors, ...validation.warnings] : null), [validation]);
  const signals = useMemo(() => new CanvasSignals(), []);
  const firstValidation = useRef(true);
  useEffect(() => {
    if (!problems) return;
    if (firstValidation.current) {
      firstValidation.current = false;
      measure('cauce:open-validated', openedAt, { nodes: doc.nodes.length });
    }
    const marks = new Map<string, ProblemMark>();
    for (const p of problems) {
      for (const id of p.nodeId ? [p.nodeId] : p.nodeIds ?? []) {
        const m = marks.get(id) ?? { errors: 0, warnings: 0, messages: [] };
        if (p.severity === 'error') m.errors++;
        else m.warnings++;
        m.messages.push(p.message);
        marks.set(id, m);
      }
    }
    signals.setProblems(marks);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [problems, signals]);

  // ---- open: fit the view once every node is measured ----------------------------------------------
  /** The whole flow, or for a large one its first nodes at a readable zoom (the minimap shows all). */
  const fitInitial = useCallback(
    (duration = 0) => {
      const d = editor.docRef.current;
      if (d.nodes.length <= LARGE_FLOW) return rf.fitView({ maxZoom: 1.1, padding: 0.15, duration });
      return rf.fitView({ nodes: firstNodes(d, 8).map((id) => ({ id })), maxZoom: 1, minZoom: 0.6, padding: 0.3, duration });
    },
    [rf, editor.docRef],
  );
  const initialized = useNodesInitialized();
  const opened = useRef(false);
  useEffect(() => {
    if (!initialized || opened.current) return;
    opened.current = true;
    void fitInitial();
    canvasRef.current?.setAttribute('data-nodes-mounted', 'first');
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        measure('cauce:open', openedAt, { nodes: doc.nodes.length });
        if (!progressive.current) measure('cauce:open-complete', openedAt, { nodes: doc.nodes.length });
        canvasRef.current?.setAttribute('data-ready', 'true');
      }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialized]);

  // ---- names and lookups ---------------------------------------------------------------------------
  const nodeById = useMemo(() => new Map(doc.nodes.map((n) => [n.id, n])), [doc.nodes]);
  const nodeName = useCallback(
    (id: string) => {
      const n = nodeById.get(id);
      if (!n) return id;
      const label = typeof n.data.label === 'string' && n.data.label.trim() ? n.data.label : null;
      return label ?? palette.byType.get(n.type ?? '')?.title ?? id;
    },
    [nodeById, palette],
  );
  const variablesFor = useCallback((nodeId?: string) => scopeVariables(editor.flowForValidation, nodeId), [editor.flowForValidation]);
  const hasStart = useMemo(() => doc.nodes.some((n) => n.type === 'start'), [doc.nodes]);

  // ---- focus -----------------------------------------------------------------------------------------
  const focusNode = useCallback(
    (id: string) => {
      const internal = rf.getInternalNode(id);
      if (!internal) return;
      editor.select([id]);
      setTab('inspect');
      const w = internal.measured.width ?? NODE_WIDTH;
      const h = internal.measured.height ?? 80;
      void rf.setCenter(internal.internals.positionAbsolute.x + w / 2, internal.internals.positionAbsolute.y + h / 2, { zoom: Math.max(rf.getZoom(), 1), duration: 300 });
    },
    [rf, editor],
  );
  const focusProblem = useCallback(
    (p: FlowProblem) => {
      const id = p.nodeId ?? p.nodeIds?.[0];
      if (id) return focusNode(id);
      if (p.edgeId) {
        const edge = editor.docRef.current.edges.find((e) => e.id === p.edgeId);
        if (edge) {
          editor.select([], [edge.id]);
          setTab('inspect');
          const source = rf.getInternalNode(edge.source);
          if (source) void rf.setCenter(source.internals.positionAbsolute.x + NODE_WIDTH / 2, source.internals.positionAbsolute.y + 80, { zoom: Math.max(rf.getZoom(), 1), duration: 300 });
        }
      }
    },
    [focusNode, editor, rf],
  );

  // ---- adding nodes ------------------------------------------------------------------------------------
  const dataFor = useCallback((type: string) => palette.byType.get(type)?.defaultData ?? {}, [palette]);
  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      if (readOnly) return;
      const type = event.dataTransfer.getData(DRAG_TYPE);
      if (!type || (type === 'start' && hasStart)) return;
      const p = rf.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const position = Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: p.x - NODE_WIDTH / 2, y: p.y - 30 } : { x: 0, y: 0 };
      editor.addNode(type, position, dataFor(type));
      setTab('inspect');
    },
    [rf, editor, dataFor, readOnly, hasStart],
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
      const n = doc.nodes.length % 5;
      editor.addNode(type, { x: p.x - NODE_WIDTH / 2 + n * 24, y: p.y - 30 + n * 24 }, dataFor(type));
      setTab('inspect');
    },
    [rf, editor, dataFor, doc.nodes.length],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c: Edge | Connection) => {
      const target = editor.docRef.current.nodes.find((n) => n.id === c.target);
      return !!c.sourceHandle && target?.type !== 'start';
    },
    [editor.docRef],
  );

  // ---- layout ------------------------------------------------------------------------------------------
  const [layingOut, setLayingOut] = useState(false);
  const autoLayout = useCallback(async () => {
    if (layingOut) return;
    const started = performance.now();
    setLayingOut(true);
    canvasRef.current?.setAttribute('data-layout', 'running');
    try {
      const { nodes, edges } = layoutInput(editor.docRef.current.nodes, editor.docRef.current.edges);
      editor.applyPositions(await runLayout(nodes, edges));
    } finally {
      setLayingOut(false);
    }
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        measure('cauce:layout', started, { nodes: editor.docRef.current.nodes.length });
        canvasRef.current?.setAttribute('data-layout', 'done');
        void fitInitial(200);
      }),
    );
  }, [editor, runLayout, layingOut, fitInitial]);

  // ---- save and publish ----------------------------------------------------------------------------
  const showBanner = useCallback((b: Banner | null) => setBanner(b), []);
  useEffect(() => {
    if (banner?.kind !== 'success') return;
    const id = setTimeout(() => setBanner(null), 6000);
    return () => clearTimeout(id);
  }, [banner]);

  /** Saves the draft and asks the server to validate it; quiet when a publish or a test run follows. */
  const saveNow = useCallback(async (quiet = false): Promise<boolean> => {
    if (readOnly) return true;
    if (!dirty) return true;
    const rev = editor.revision;
    setSaving(true);
    try {
      const saved = await api.saveFlow(flow.id, { name: meta.name.trim() || flow.name, description: meta.description, definition: editor.current() });
      editor.markSaved(rev);
      setMetaDirty(false);
      setInfo({ status: saved.status, latestVersion: saved.latestVersion });
      try {
        const check = await api.validateFlow(flow.id, locale);
        setServer({ at: Date.now(), valid: check.valid, problems: [...check.errors, ...check.warnings], source: 'validate' });
        if (!quiet) showBanner({ kind: check.valid ? 'success' : 'error', text: check.valid ? t('editor.savedValid') : t('editor.savedInvalid', { count: check.errors.length }) });
      } catch {
        if (!quiet) showBanner({ kind: 'success', text: t('editor.saved') });
      }
      return true;
    } catch (err) {
      showBanner({ kind: 'error', text: t('editor.saveFailed', { message: errorText(err) }) });
      return false;
    } finally {
      setSaving(false);
    }
  }, [readOnly, dirty, editor, api, flow.id, flow.name, meta, locale, showBanner, t, errorText]);

  const publish = useCallback(async () => {
    if (validation && !validation.valid) {
      showBanner({ kind: 'error', text: t('editor.fixBeforePublish', { count: validation.errors.length }) });
      return;
    }
    setPublishing(true);
    try {
      if (!(await saveNow(true))) return;
      const result = await api.publishFlow(flow.id, locale);
      setInfo({ status: 'published', latestVersion: result.version });
      setServer({ at: Date.now(), valid: true, problems: result.warnings, source: 'publish' });
      setVersionsKey((k) => k + 1);
      showBanner({ kind: 'success', text: t('editor.published', { version: result.version }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        setServer({ at: Date.now(), valid: false, problems: err.problems, source: 'publish' });
        showBanner({ kind: 'error', text: t('editor.publishRefused', { count: err.problems.length }) });
      } else {
        showBanner({ kind: 'error', text: errorText(err) });
      }
    } finally {
      setPublishing(false);
    }
  }, [validation, saveNow, api, flow.id, locale, showBanner, t, errorText]);

  // Leaving with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  // ---- keyboard shortcuts --------------------------------------------------------------------------
  const shortcuts = useRef<(e: KeyboardEvent) => void>(() => undefined);
  shortcuts.current = (e: KeyboardEvent) => {
    const mod = e.metaKey || e.ctrlKey;
    const key = e.key.toLowerCase();
    if (mod && key === 's') {
      e.preventDefault();
      void saveNow();
      return;
    }
    if (isTyping(e.target) || document.querySelector('.modal-backdrop')) return;
    if (mod && key === 'z' && !e.shiftKey && !readOnly) {
      e.preventDefault();
      editor.undo();
    } else if (mod && ((key === 'z' && e.shiftKey) || key === 'y') && !readOnly) {
      e.preventDefault();
      editor.redo();
    } else if (mod && key === 'c') {
      if (editor.copy()) e.preventDefault();
    } else if (mod && key === 'x' && !readOnly) {
      if (editor.cut()) e.preventDefault();
    } else if (mod && key === 'v' && !readOnly) {
      if (editor.paste()) e.preventDefault();
    } else if (mod && key === 'd' && !readOnly) {
      e.preventDefault();
      if (editor.copy()) editor.paste();
    } else if (mod && key === 'a') {
      e.preventDefault();
      editor.selectAll();
    } else if (!mod && e.shiftKey && key === 'l' && !readOnly) {
      e.preventDefault();
      void autoLayout();
    } else if (!mod && !e.shiftKey && key === 'f') {
      void rf.fitView({ padding: 0.15, duration: 200 });
    } else if (e.key === '?') {
      setShowShortcuts(true);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => shortcuts.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // ---- simulator and diff highlights ------------------------------------------------------------------
  const onSimulation = useCallback(
    (s: SimulationState | null) => {
      signals.setActive(s?.currentNode ?? null);
      signals.setVisited(new Set(s?.path.map((p) => p.nodeId) ?? []));
      const ids = new Set<string>();
      if (s) {
        const edges = editor.docRef.current.edges;
        s.path.forEach((step, i) => {
          const next = s.path[i + 1];
          if (!step.branch || !next) return;
          const e = edges.find((x) => x.source === step.nodeId && x.sourceHandle === step.branch && x.target === next.nodeId);
          if (e) ids.add(e.id);
        });
      }
      setTaken((prev) => (prev.size === ids.size && [...ids].every((x) => prev.has(x)) ? prev : ids));
    },
    [signals, editor.docRef],
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
  const onRestore = useCallback(
    async (definition: FlowDefinition, version: number) => {
      const { nodes, edges, positioned } = toCanvas(definition);
      const laid = positioned ? nodes : placed(nodes, await runLayout(layoutInput(nodes, edges).nodes, layoutInput(nodes, edges).edges));
      editor.replace({ nodes: laid, edges, variables: definition.variables ?? [] });
      showBanner({ kind: 'info', text: t('editor.restored', { version }) });
      requestAnimationFrame(() => void fitInitial(200));
    },
    [editor, showBanner, t, runLayout, fitInitial],
  );

  // A large flow mounts its nodes in batches (the start's neighbourhood first), so opening it
  // never blocks the page for the time it takes to render and measure every node at once.
  const mountOrder = useMemo(() => {
    return new Map(bfsOrder(initial).map((id, i) => [id, i]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const progressive = useRef(initial.nodes.length > LARGE_FLOW);
  const [mounted, setMounted] = useState(() => (progressive.current ? MOUNT_BATCH : Infinity));
  const allMounted = mounted >= initial.nodes.length;
  useEffect(() => {
    if (allMounted) {
      if (progressive.current) {
        progressive.current = false;
        requestAnimationFrame(() => measure('cauce:open-complete', openedAt, { nodes: doc.nodes.length }));
      }
      return;
    }
    const id = setTimeout(() => setMounted((m) => (m + MOUNT_BATCH >= initial.nodes.length ? Infinity : m + MOUNT_BATCH)), 0);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mounted, allMounted]);
  const displayNodes = useMemo(
    () => (allMounted ? doc.nodes : doc.nodes.filter((n) => (mountOrder.get(n.id) ?? 0) < mounted)),
    [allMounted, doc.nodes, mountOrder, mounted],
  );
  const displayEdges = useMemo(() => {
    const shown = allMounted ? doc.edges : doc.edges.filter((e) => (mountOrder.get(e.source) ?? 0) < mounted && (mountOrder.get(e.target) ?? 0) < mounted);
    return taken.size === 0 ? shown : shown.map((e) => (taken.has(e.id) ? { ...e, className: 'edge-taken', animated: true } : e));
  }, [allMounted, doc.edges, mountOrder, mounted, taken]);

  const minimapColor = useCallback((n: CanvasNode) => (signals.get(n.id).errors > 0 ? '#dc2626' : CATEGORY_COLORS[palette.byType.get(n.type ?? '')?.category ?? 'custom'] ?? '#64748b'), [signals, palette]);

  const setMeta = useCallback((m: { name?: string; description?: string }) => {
    setMetaState((prev) => ({ ...prev, ...m }));
    setMetaDirty(true);
  }, []);

  const saveState = saving ? t('editor.saving') : dirty ? t('editor.unsaved') : t('editor.allSaved');
  return (
    <SignalsContext.Provider value={signals}>
      <div className="editor" data-testid="editor">
        <div className="editor-toolbar">
          <Link to="/flows" className="btn btn-ghost btn-small">
            ← {t('nav.flows')}
          </Link>
          <div className="editor-title">
            <h1 title={meta.name}>{meta.name || flow.name}</h1>
            <StatusBadge status={info.status} />
            {info.latestVersion !== null && <span className="badge">v{info.latestVersion}</span>}
            <span className={`save-state${dirty ? ' dirty' : ''}`} data-testid="save-state">
              {saveState}
            </span>
          </div>
          <div className="editor-actions">
            {!readOnly && (
              <>
                <button type="button" className="btn btn-small btn-ghost" onClick={editor.undo} disabled={!editor.canUndo} title={`${t('editor.undo')} (Ctrl+Z)`} data-testid="undo">
                  ↶ {t('editor.undo')}
                </button>
                <button type="button" className="btn btn-small btn-ghost" onClick={editor.redo} disabled={!editor.canRedo} title={`${t('editor.redo')} (Ctrl+Shift+Z)`} data-testid="redo">
                  ↷ {t('editor.redo')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => void autoLayout()} disabled={layingOut} title={`${t('editor.layout')} (Shift+L)`} data-testid="auto-layout">
                  {layingOut ? t('editor.layingOut') : t('editor.layout')}
                </button>
              </>
            )}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setShowShortcuts(true)} title={t('shortcuts.title')} aria-label={t('shortcuts.title')}>
              ?
            </button>
            {!readOnly && (
              <>
                <button type="button" className="btn btn-small" onClick={() => void saveNow()} disabled={saving || !dirty} data-testid="save">
                  {t('editor.save')}
                </button>
                <button type="button" className="btn btn-small btn-primary" onClick={() => void publish()} disabled={publishing || saving} data-testid="publish">
                  {publishing ? t('editor.publishing') : t('editor.publish')}
                </button>
              </>
            )}
          </div>
        </div>
        {info.status === 'archived' && <div className="banner banner-info">{t('editor.archived')}</div>}
        {banner && (
          <div className={`banner banner-${banner.kind} banner-float`} role={banner.kind === 'error' ? 'alert' : 'status'} data-testid="editor-banner">
            <span>{banner.text}</span>
            <button type="button" className="btn-icon" onClick={() => setBanner(null)} aria-label={t('common.close')}>
              ×
            </button>
          </div>
        )}
        <div className="editor-body">
          {!readOnly && <Palette onAdd={addAtCenter} hasStart={hasStart} />}
          <div className="editor-center">
            <div className="canvas" ref={canvasRef} onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas" data-nodes={doc.nodes.length}>
              <ReactFlow<CanvasNode, CanvasEdge>
                nodes={displayNodes}
                edges={displayEdges}
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
                deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
                multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
                selectionKeyCode="Shift"
                minZoom={0.05}
                maxZoom={2}
                onlyRenderVisibleElements={doc.nodes.length > 150}
                onError={(code) => code !== '002' && code !== '003' && code !== '008' && console.warn(`React Flow ${code}`)}
                proOptions={PRO_OPTIONS}
              >
                <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
                <Controls showInteractive={false} />
                <MiniMap<CanvasNode> pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} ariaLabel={t('editor.minimap')} style={{ width: 150, height: 100 }} />
              </ReactFlow>
              {doc.nodes.length <= 1 && !readOnly && <div className="canvas-hint">{t('editor.emptyHint')}</div>}
            </div>
            <ProblemsPanel problems={problems} server={server} nodeName={nodeName} onSelect={focusProblem} validating={false} />
          </div>
          <aside className="side-panel">
            <div className="tabs" role="tablist">
              <button type="button" role="tab" aria-selected={tab === 'inspect'} className={tab === 'inspect' ? 'active' : undefined} onClick={() => setTab('inspect')} data-testid="tab-inspect">
                {t('editor.tab.inspect')}
              </button>
              {can('flows.write') && (
                <button type="button" role="tab" aria-selected={tab === 'simulate'} className={tab === 'simulate' ? 'active' : undefined} onClick={() => setTab('simulate')} data-testid="tab-simulate">
                  {t('editor.tab.simulate')}
                </button>
              )}
              <button type="button" role="tab" aria-selected={tab === 'versions'} className={tab === 'versions' ? 'active' : undefined} onClick={() => setTab('versions')} data-testid="tab-versions">
                {t('editor.tab.versions')}
              </button>
            </div>
            <div className="side-content">
              {tab === 'inspect' && (
                <Inspector
                  nodes={doc.nodes}
                  edges={doc.edges}
                  problems={problems ?? []}
                  variablesFor={variablesFor}
                  readOnly={readOnly}
                  name={meta.name}
                  description={meta.description}
                  flowVariables={doc.variables}
                  onMeta={setMeta}
                  onVariables={editor.setVariables}
                  onNodeData={editor.updateNodeData}
                  onDelete={editor.removeElements}
                  onFocusNode={focusNode}
                  nodeName={nodeName}
                />
              )}
              {/* The simulator stays mounted while its tab is hidden, so a run is not lost. */}
              {can('flows.write') && (
                <div hidden={tab !== 'simulate'}>
                  <Simulator
                    flowId={flow.id}
                    ensureSaved={() => saveNow(true)}
                    onState={onSimulation}
                    nodeName={nodeName}
                    onProblems={(list) => setServer({ at: Date.now(), valid: false, problems: list, source: 'validate' })}
                  />
                </div>
              )}
              {tab === 'versions' && (
                <VersionsPanel
                  flowId={flow.id}
                  reloadKey={versionsKey}
                  canRestore={!readOnly}
                  nodeName={nodeName}
                  onDiff={onDiff}
                  onRestore={onRestore}
                  onFocusNode={focusNode}
                />
              )}
            </div>
          </aside>
        </div>
        {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      </div>
    </SignalsContext.Provider>
  );
}

export function EditorPage({ flowId }: { flowId: string }) {
  const t = useT();
  const api = useApi();
  const openedAt = useRef(performance.now());
  const runLayout = useLayoutRunner();
  const flow = useAsync(() => api.getFlow(flowId), [flowId]);
  const [initial, setInitial] = useState<EditorDoc | null>(null);
  // A draft without positions (written by hand or through the API) is laid out before it opens.
  useEffect(() => {
    if (!flow.data || initial) return;
    const { nodes, edges, positioned } = toCanvas(flow.data.draft);
    const variables = flow.data.draft.variables ?? [];
    if (positioned) {
      setInitial({ nodes, edges, variables });
      return;
    }
    const input = layoutInput(nodes, edges);
    void runLayout(input.nodes, input.edges).then((positions) => setInitial({ nodes: placed(nodes, positions), edges, variables }));
  }, [flow.data, initial, runLayout]);
  if ((flow.loading && !flow.data) || (flow.data && !initial)) {
    return (
      <div className="page-loading">
        <Spinner label={t('common.loading')} />
      </div>
    );
  }
  if (!flow.data) {
    return (
      <div className="page">
        <ErrorMessage error={flow.error} />
        <Link to="/flows">← {t('nav.flows')}</Link>
      </div>
    );
  }
  return (
    <PaletteProvider>
      <ReactFlowProvider>
        <EditorWorkspace flow={flow.data} initial={initial!} openedAt={openedAt.current} runLayout={runLayout} />
      </ReactFlowProvider>
    </PaletteProvider>
  );
}
