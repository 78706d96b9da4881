/**
 * The side panel's three tabs: the inspector (the selection, or the flow's settings), the
 * simulator (a test run against the saved draft) and the versions (history, diff, restore).
 */
import type { FlowDefinition, FlowProblem } from '../../../workflows/language';
import type { FlowDiff } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import type { ScopeVariable } from './form/scope';
import { Inspector } from './Inspector';
import { Simulator, type SimulationState } from './simulator/Simulator';
import type { FlowEditor } from './use-flow-editor';
import type { SavePublish } from './use-save-publish';
import { VersionsPanel } from './versions/VersionsPanel';

export type Tab = 'inspect' | 'simulate' | 'versions';

export function SidePanel({
  flowId,
  tab,
  onTab,
  editor,
  draft,
  problems,
  variablesFor,
  nodeName,
  focusNode,
  onSimulation,
  onDiff,
  onRestore,
}: {
  flowId: string;
  tab: Tab;
  onTab: (tab: Tab) => void;
  editor: FlowEditor;
  draft: SavePublish;
  problems: FlowProblem[] | null;
  variablesFor: (nodeId?: string) => ScopeVariable[];
  nodeName: (id: string) => string;
  focusNode: (id: string) => void;
  onSimulation: (state: SimulationState | null) => void;
  onDiff: (diff: FlowDiff | null) => void;
  onRestore: (definition: FlowDefinition, version: number) => void;
}) {
  const t = useT();
  const { can } = useAuth();
  const { doc } = editor;
  const tabButton = (id: Tab) => (
    <button
      type="button"
      role="tab"
      aria-selected={tab === id}
      className={tab === id ? 'active' : undefined}
      onClick={() => onTab(id)}
      data-testid={`tab-${id}`}
    >
      {t(`editor.tab.${id}`)}
    </button>
  );
  return (
    <aside className="side-panel">
      <div className="tabs" role="tablist">
        {tabButton('inspect')}
        {can('flows.write') && tabButton('simulate')}
        {tabButton('versions')}
      </div>
      <div className="side-content">
        {tab === 'inspect' && (
          <Inspector
            nodes={doc.nodes}
            edges={doc.edges}
            problems={problems ?? []}
            variablesFor={variablesFor}
            readOnly={draft.readOnly}
            name={draft.meta.name}
            description={draft.meta.description}
            flowVariables={doc.variables}
            onMeta={draft.setMeta}
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
              flowId={flowId}
              ensureSaved={() => draft.saveNow(true)}
              onState={onSimulation}
              nodeName={nodeName}
              onProblems={(list) => draft.setServer({ at: Date.now(), valid: false, problems: list, source: 'validate' })}
            />
          </div>
        )}
        {tab === 'versions' && (
          <VersionsPanel flowId={flowId} canRestore={!draft.readOnly} nodeName={nodeName} onDiff={onDiff} onRestore={onRestore} onFocusNode={focusNode} />
        )}
      </div>
    </aside>
  );
}
