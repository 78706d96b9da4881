/**
 * The one node component: a header (category, title), a one-line summary of its data, a target
 * handle `in` and one named source handle per branch. Problems, run highlights and traffic come
 * from the canvas signals store, so `data` stays the flow's own data.
 */
import { Handle, Position, useNodeConnections, useUpdateNodeInternals, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import { nodeBranches } from '../../../../workflows/language';
import { useLocale, useT } from '../../i18n';
import { useBranchLabel, useEnumLabel } from '../labels';
import type { CanvasNode } from '../convert';
import { NODE_WIDTH } from '../layout';
import { usePaletteEntry } from '../palette-context';
import { useNodeSignal } from '../signals';
import { dataSummary } from '../summary';
import { CategoryIcon } from './icons';

const BRANCH_WIDTH = 70;

function CauceNodeView({ id, type, data, selected }: NodeProps<CanvasNode>) {
  const t = useT();
  const [locale] = useLocale();
  const entry = usePaletteEntry(type);
  const signal = useNodeSignal(id);
  const branchLabel = useBranchLabel();
  const enumLabel = useEnumLabel();
  const branches = useMemo(() => nodeBranches({ type, data }), [type, data]);
  const outgoing = useNodeConnections({ handleType: 'source' });
  // An edge whose branch no longer exists (an option was renamed) keeps a red handle until it is
  // reconnected or deleted, instead of silently disappearing.
  const orphans = useMemo(
    () => [...new Set(outgoing.map((c) => c.sourceHandle).filter((h): h is string => !!h && !branches.includes(h)))],
    [outgoing, branches],
  );
  const handles = useMemo(() => [...branches.map((b) => ({ id: b, orphan: false })), ...orphans.map((b) => ({ id: b, orphan: true }))], [branches, orphans]);
  const updateNodeInternals = useUpdateNodeInternals();
  // React Flow measures handles when a node mounts; when the branches change later (an option
  // added), it must measure again. Not on mount: 300 nodes each asking would be 300 store updates.
  const handleKey = handles.map((h) => h.id).join('\u0000');
  const measuredKey = useRef(handleKey);
  useEffect(() => {
    if (measuredKey.current === handleKey) return;
    measuredKey.current = handleKey;
    updateNodeInternals(id);
  }, [id, handleKey, updateNodeInternals]);

  const category = entry?.category ?? 'custom';
  const title = typeof data.label === 'string' && data.label.trim() ? data.label : (entry?.title ?? type);
  const summary = useMemo(() => dataSummary(data, entry?.dataSchema, locale, enumLabel), [data, entry, locale, enumLabel]);
  const width = Math.max(NODE_WIDTH, handles.length * BRANCH_WIDTH);
  const classes = [
    'cauce-node',
    selected && 'selected',
    signal.errors > 0 && 'has-errors',
    signal.errors === 0 && signal.warnings > 0 && 'has-warnings',
    signal.active && 'is-active',
    signal.visited && 'is-visited',
    signal.diff && `diff-${signal.diff}`,
    !entry && 'is-unknown',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div
      className={classes}
      style={{ width }}
      data-category={category}
      data-node-id={id}
      data-testid={`node-${id}`}
      title={signal.messages.join('\n') || undefined}
    >
      {type !== 'start' && <Handle type="target" position={Position.Top} id="in" className="handle-in" />}
      <div className="cauce-node-header">
        <span className="cauce-node-icon">
          <CategoryIcon category={category} size={14} />
        </span>
        <span className="cauce-node-title">{title}</span>
        {(signal.errors > 0 || signal.warnings > 0) && (
          <span
            className={`problem-badge ${signal.errors > 0 ? 'error' : 'warning'}`}
            aria-label={t('problems.onNode', { count: signal.errors + signal.warnings })}
          >
            {signal.errors + signal.warnings}
          </span>
        )}
      </div>
      <div className="cauce-node-body">
        {title !== (entry?.title ?? type) && <div className="cauce-node-type">{entry?.title ?? type}</div>}
        {summary && <div className="cauce-node-summary">{summary}</div>}
        {(signal.entered !== null || signal.dropOff !== null) && (
          <div className="cauce-node-traffic">
            {signal.entered !== null && <span>{t('traffic.entered', { count: signal.entered })}</span>}
            {signal.dropOff !== null && signal.dropOff > 0 && <span className="drop">{t('traffic.dropOff', { count: signal.dropOff })}</span>}
          </div>
        )}
      </div>
      {handles.length > 0 && (
        <div className="cauce-node-branches">
          {handles.map((h, i) => {
            const left = `${((i + 0.5) / handles.length) * 100}%`;
            return (
              <div key={h.id} className={`branch${h.orphan ? ' orphan' : ''}`} style={{ left }}>
                <span className="branch-label">{branchLabel(h.id)}</span>
                <Handle type="source" position={Position.Bottom} id={h.id} className={`handle-branch${h.orphan ? ' orphan' : ''}`} style={{ left: '50%' }} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const CauceNode = memo(CauceNodeView);

/**
 * Every node type renders with CauceNode. Node types are open-ended (custom activities
 * `activity:<name>` come from the registry), so this module-scope map answers any type.
 */
export const nodeTypes: NodeTypes = new Proxy({} as NodeTypes, {
  get: (_target, key) => (typeof key === 'string' ? CauceNode : undefined),
  has: () => true,
});
