/**
 * One flow's draft open in the editor: toolbar, palette, canvas, problems and side panel, wired
 * together. Each job lives in its own hook beside this file: saving and publishing
 * (use-save-publish), shortcuts (keymap, use-shortcuts), opening and progressive mounting
 * (use-open-view, use-progressive-mount), adding nodes (use-add-node), layout (use-auto-layout),
 * problems (use-problem-marks), focus (use-focus) and the simulator's highlights (use-run-highlights).
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FlowDefinition } from '../../../workflows/language';
import type { Flow } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useLocale, useT } from '../i18n';
import { layoutInput, placed, toCanvas } from './convert';
import { EditorToolbar } from './EditorToolbar';
import { FlowCanvas } from './FlowCanvas';
import { scopeVariables } from './form/scope';
import { Palette } from './Palette';
import { usePalette } from './palette-context';
import { ProblemsPanel } from './ProblemsPanel';
import { ShortcutsDialog } from './ShortcutsDialog';
import { SidePanel, type Tab } from './SidePanel';
import { CanvasSignals, SignalsContext } from './signals';
import { useAddNode } from './use-add-node';
import { useAutoLayout } from './use-auto-layout';
import { useBanner } from './use-banner';
import { useFlowEditor, type EditorDoc } from './use-flow-editor';
import { useFocus } from './use-focus';
import type { LayoutRunner } from './use-layout';
import { useNodeName } from './use-node-name';
import { useOpenView } from './use-open-view';
import { useProblemMarks } from './use-problem-marks';
import { useProgressiveMount } from './use-progressive-mount';
import { useRunHighlights, useTakenEdges } from './use-run-highlights';
import { useSavePublish } from './use-save-publish';
import { useShortcuts } from './use-shortcuts';
import { useFlowValidation } from './use-validation';

export function EditorWorkspace({ flow, initial, openedAt, runLayout }: { flow: Flow; initial: EditorDoc; openedAt: number; runLayout: LayoutRunner }) {
  const t = useT();
  const { can } = useAuth();
  const [locale] = useLocale();
  const palette = usePalette();
  const rf = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const editor = useFlowEditor(initial);
  const { doc, docRef } = editor;
  const [tab, setTab] = useState<Tab>('inspect');
  const showInspector = useCallback(() => setTab('inspect'), []);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const { banner, showBanner } = useBanner();
  const signals = useMemo(() => new CanvasSignals(), []);

  const validation = useFlowValidation(editor.flowForValidation, locale, palette.customActivities);
  const problems = useProblemMarks(validation, signals, { at: openedAt, nodes: () => docRef.current.nodes.length });
  const draft = useSavePublish({ flow, editor, canWrite: can('flows.write'), validation, showBanner });
  const { readOnly } = draft;

  const shown = useProgressiveMount(initial, doc, openedAt);
  const fitInitial = useOpenView({ docRef, canvasRef, openedAt, progressive: shown.progressive });
  const { onDrop, onDragOver, addAtCenter } = useAddNode({ editor, canvasRef, readOnly, onAdded: showInspector });
  const { layingOut, autoLayout } = useAutoLayout({ editor, runLayout, canvasRef, fitView: fitInitial });
  const { focusNode, focusProblem } = useFocus(editor, showInspector);
  const highlights = useRunHighlights(signals, docRef);
  const edges = useTakenEdges(shown.edges, highlights.taken);

  const nodeName = useNodeName(doc.nodes);
  const variablesFor = useCallback((nodeId?: string) => scopeVariables(editor.flowForValidation, nodeId), [editor.flowForValidation]);
  const hasStart = useMemo(() => doc.nodes.some((n) => n.type === 'start'), [doc.nodes]);

  const onRestore = useCallback(
    async (definition: FlowDefinition, version: number) => {
      const { nodes, edges: restored, positioned } = toCanvas(definition);
      const input = layoutInput(nodes, restored);
      const laid = positioned ? nodes : placed(nodes, await runLayout(input.nodes, input.edges));
      editor.replace({ nodes: laid, edges: restored, variables: definition.variables ?? [] });
      showBanner({ kind: 'info', text: t('editor.restored', { version }) });
      requestAnimationFrame(() => void fitInitial(200));
    },
    [editor, showBanner, t, runLayout, fitInitial],
  );

  useShortcuts(
    {
      save: () => (void draft.saveNow(), true),
      undo: () => (editor.undo(), true),
      redo: () => (editor.redo(), true),
      copy: () => editor.copy() > 0,
      cut: () => editor.cut() > 0,
      paste: () => editor.paste() > 0,
      duplicate: () => (editor.copy() && editor.paste(), true),
      selectAll: () => (editor.selectAll(), true),
      layout: () => (void autoLayout(), true),
      fit: () => (void rf.fitView({ padding: 0.15, duration: 200 }), false),
      help: () => (setShowShortcuts(true), false),
    },
    readOnly,
  );

  return (
    <SignalsContext.Provider value={signals}>
      <div className="editor" data-testid="editor">
        <EditorToolbar
          flow={flow}
          draft={draft}
          editor={editor}
          layingOut={layingOut}
          onLayout={() => void autoLayout()}
          onShortcuts={() => setShowShortcuts(true)}
        />
        {draft.info.status === 'archived' && <div className="banner banner-info">{t('editor.archived')}</div>}
        {banner && (
          <div className={`banner banner-${banner.kind} banner-float`} role={banner.kind === 'error' ? 'alert' : 'status'} data-testid="editor-banner">
            <span>{banner.text}</span>
            <button type="button" className="btn-icon" onClick={() => showBanner(null)} aria-label={t('common.close')}>
              ×
            </button>
          </div>
        )}
        <div className="editor-body">
          {!readOnly && <Palette onAdd={addAtCenter} hasStart={hasStart} />}
          <div className="editor-center">
            <FlowCanvas editor={editor} nodes={shown.nodes} edges={edges} readOnly={readOnly} canvasRef={canvasRef} onDrop={onDrop} onDragOver={onDragOver} />
            <ProblemsPanel problems={problems} server={draft.server} nodeName={nodeName} onSelect={focusProblem} validating={false} />
          </div>
          <SidePanel
            flowId={flow.id}
            tab={tab}
            onTab={setTab}
            editor={editor}
            draft={draft}
            problems={problems}
            variablesFor={variablesFor}
            nodeName={nodeName}
            focusNode={focusNode}
            onSimulation={highlights.onSimulation}
            onDiff={highlights.onDiff}
            onRestore={onRestore}
          />
        </div>
        {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      </div>
    </SignalsContext.Provider>
  );
}
