/**
 * The inspector: the selected node's form (generated from its JSON Schema), the selected edge, or
 * the flow's own settings (name, description, variables) when nothing is selected.
 */
import { memo, useMemo } from 'react';
import {
  isCustomActivityType,
  nodeBranches,
  type FlowProblem,
  type JsonSchema,
  type VariableDeclaration,
  type VariableType,
} from '../../../workflows/language';
import { useT } from '../i18n';
import type { CanvasEdge, CanvasNode } from './convert';
import { ObjectFields, type FormContext } from './form/SchemaForm';
import { ClassifyTryPanel } from './inspector/ClassifyTryPanel';
import type { ScopeVariable } from './form/scope';
import { useBranchLabel } from './labels';
import { CategoryIcon } from './nodes/icons';
import { usePalette } from './palette-context';

const VARIABLE_TYPES: VariableType[] = ['string', 'number', 'boolean', 'object', 'array'];

function NodeInspector({
  node,
  edges,
  problems,
  variables,
  readOnly,
  onChange,
  onDelete,
  nodeName,
  onFocusNode,
}: {
  node: CanvasNode;
  edges: CanvasEdge[];
  problems: FlowProblem[];
  variables: ScopeVariable[];
  readOnly: boolean;
  onChange: (data: Record<string, unknown>, field?: string) => void;
  onDelete: () => void;
  nodeName: (id: string) => string;
  onFocusNode: (id: string) => void;
}) {
  const t = useT();
  const { byType } = usePalette();
  const branchLabel = useBranchLabel();
  const entry = byType.get(node.type ?? '');
  const schema = entry?.dataSchema as JsonSchema | undefined;
  const branches = nodeBranches({ type: node.type ?? '', data: node.data });
  const ctx: FormContext = { problems, variables, readOnly };
  const general = problems.filter((p) => !p.field);
  const label = typeof node.data.label === 'string' ? node.data.label : '';

  return (
    <div className="inspector-body" data-testid="inspector" data-node-id={node.id}>
      <div className="inspector-title" data-category={entry?.category ?? 'custom'}>
        <span className="cauce-node-icon">
          <CategoryIcon category={entry?.category ?? 'custom'} size={16} />
        </span>
        <div>
          <div className="inspector-type">{entry?.title ?? node.type}</div>
          <div className="muted small mono">{node.id}</div>
        </div>
      </div>
      {entry?.description && <p className="inspector-desc">{entry.description}</p>}
      {!entry && <div className="banner banner-error">{t('inspector.unknownType', { type: node.type ?? '' })}</div>}
      {general.map((p, i) => (
        <div key={i} className={`field-problem ${p.severity}`}>
          {p.message}
        </div>
      ))}
      <fieldset disabled={readOnly} className="inspector-form">
        <label className="field">
          <span className="field-label">{t('inspector.label')}</span>
          <input
            value={label}
            placeholder={entry?.title}
            maxLength={120}
            onChange={(e) => onChange({ ...node.data, label: e.target.value || undefined }, 'label')}
            data-testid="node-label"
          />
        </label>
        {schema ? (
          isCustomActivityType(node.type ?? '') ? (
            <ObjectFields
              schema={schema}
              value={node.data}
              path=""
              onChange={(d, f) => onChange(d, f)}
              ctx={{ ...ctx, templatesByDefault: true }}
              skip={['label']}
            />
          ) : (
            <ObjectFields schema={schema} value={node.data} path="" onChange={(d, f) => onChange(d, f)} ctx={ctx} skip={['label']} />
          )
        ) : null}
      </fieldset>
      {node.type === 'ai.classify' && !readOnly && <ClassifyTryPanel data={node.data} />}
      <section className="inspector-section">
        <h4>{t('inspector.branches')}</h4>
        {branches.length === 0 ? (
          <p className="muted small">{t('inspector.noBranches')}</p>
        ) : (
          <ul className="branch-list">
            {branches.map((b) => {
              const edge = edges.find((e) => e.source === node.id && e.sourceHandle === b);
              return (
                <li key={b}>
                  <span className="branch-chip">{branchLabel(b)}</span>
                  <span className="muted">→</span>
                  {edge ? (
                    <button type="button" className="link" onClick={() => onFocusNode(edge.target)}>
                      {nodeName(edge.target)}
                    </button>
                  ) : (
                    <span className="text-error small">{t('inspector.unconnected')}</span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {entry?.outputDescription && (
        <section className="inspector-section">
          <h4>{t('inspector.output')}</h4>
          <p className="small">
            <code>nodes.{node.id}.output</code> — {entry.outputDescription}
          </p>
        </section>
      )}
      {!readOnly && (
        <button type="button" className="btn btn-danger btn-small" onClick={onDelete} data-testid="delete-node">
          {t('inspector.deleteNode')}
        </button>
      )}
    </div>
  );
}

function FlowSettings({
  name,
  description,
  variables,
  readOnly,
  onMeta,
  onVariables,
}: {
  name: string;
  description: string;
  variables: VariableDeclaration[];
  readOnly: boolean;
  onMeta: (meta: { name?: string; description?: string }) => void;
  onVariables: (v: VariableDeclaration[]) => void;
}) {
  const t = useT();
  const set = (i: number, patch: Partial<VariableDeclaration>) => onVariables(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <div className="inspector-body" data-testid="flow-settings">
      <h3 className="inspector-heading">{t('inspector.flow')}</h3>
      <fieldset disabled={readOnly} className="inspector-form">
        <label className="field">
          <span className="field-label">{t('flows.name')}</span>
          <input value={name} maxLength={200} onChange={(e) => onMeta({ name: e.target.value })} data-testid="flow-name" />
        </label>
        <label className="field">
          <span className="field-label">{t('flows.description')}</span>
          <textarea value={description} rows={3} maxLength={2000} onChange={(e) => onMeta({ description: e.target.value })} />
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('inspector.variables')}</span>
          <p className="field-hint">{t('inspector.variablesHint')}</p>
          {variables.map((v, i) => (
            <div key={i} className="variable-row">
              <input
                className="mono"
                value={v.name}
                placeholder={t('inspector.variableName')}
                aria-label={t('inspector.variableName')}
                onChange={(e) => set(i, { name: e.target.value })}
              />
              <select value={v.type} onChange={(e) => set(i, { type: e.target.value as VariableType })} aria-label={t('inspector.variableType')}>
                {VARIABLE_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`vartype.${type}`)}
                  </option>
                ))}
              </select>
              <input
                className="mono"
                defaultValue={v.default === undefined ? '' : JSON.stringify(v.default)}
                placeholder={t('inspector.variableDefault')}
                aria-label={t('inspector.variableDefault')}
                onChange={(e) => {
                  const raw = e.target.value.trim();
                  let value: unknown;
                  try {
                    value = raw === '' ? undefined : JSON.parse(raw);
                  } catch {
                    value = raw;
                  }
                  set(i, { default: value });
                }}
              />
              <button type="button" className="btn-icon" onClick={() => onVariables(variables.filter((_, j) => j !== i))} aria-label={t('common.remove')}>
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small btn-add"
            onClick={() => onVariables([...variables, { name: `variable${variables.length + 1}`, type: 'string' }])}
          >
            + {t('inspector.addVariable')}
          </button>
        </div>
      </fieldset>
      <p className="muted small">{t('inspector.selectHint')}</p>
    </div>
  );
}

export const Inspector = memo(function Inspector(props: {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  problems: FlowProblem[];
  variablesFor: (nodeId?: string) => ScopeVariable[];
  readOnly: boolean;
  name: string;
  description: string;
  flowVariables: VariableDeclaration[];
  onMeta: (meta: { name?: string; description?: string }) => void;
  onVariables: (v: VariableDeclaration[]) => void;
  onNodeData: (id: string, data: Record<string, unknown>, field?: string) => void;
  onDelete: (nodeIds: string[], edgeIds: string[]) => void;
  onFocusNode: (id: string) => void;
  nodeName: (id: string) => string;
}) {
  const t = useT();
  const branchLabel = useBranchLabel();
  const selectedNodes = useMemo(() => props.nodes.filter((n) => n.selected), [props.nodes]);
  const selectedEdges = useMemo(() => props.edges.filter((e) => e.selected), [props.edges]);
  const node = selectedNodes.length === 1 ? selectedNodes[0] : null;
  const nodeProblems = useMemo(() => (node ? props.problems.filter((p) => p.nodeId === node.id || p.nodeIds?.includes(node.id)) : []), [node, props.problems]);
  const variables = useMemo(() => (node ? props.variablesFor(node.id) : []), [node?.id, props.variablesFor]); // eslint-disable-line react-hooks/exhaustive-deps

  if (node) {
    return (
      <NodeInspector
        key={node.id}
        node={node}
        edges={props.edges}
        problems={nodeProblems}
        variables={variables}
        readOnly={props.readOnly}
        onChange={(data, field) => props.onNodeData(node.id, data, field)}
        onDelete={() => props.onDelete([node.id], [])}
        nodeName={props.nodeName}
        onFocusNode={props.onFocusNode}
      />
    );
  }
  if (selectedNodes.length > 1 || selectedEdges.length > 1) {
    return (
      <div className="inspector-body">
        <h3 className="inspector-heading">{t('inspector.multi', { nodes: selectedNodes.length, edges: selectedEdges.length })}</h3>
        {!props.readOnly && (
          <button
            type="button"
            className="btn btn-danger btn-small"
            onClick={() =>
              props.onDelete(
                selectedNodes.map((n) => n.id),
                selectedEdges.map((e) => e.id),
              )
            }
          >
            {t('inspector.deleteSelection')}
          </button>
        )}
      </div>
    );
  }
  if (selectedEdges.length === 1) {
    const e = selectedEdges[0];
    const edgeProblems = props.problems.filter((p) => p.edgeId === e.id);
    return (
      <div className="inspector-body" data-testid="edge-inspector">
        <h3 className="inspector-heading">{t('inspector.edge')}</h3>
        <p>
          <strong>{props.nodeName(e.source)}</strong> <span className="branch-chip">{branchLabel(e.sourceHandle ?? '')}</span> →{' '}
          <strong>{props.nodeName(e.target)}</strong>
        </p>
        {edgeProblems.map((p, i) => (
          <div key={i} className={`field-problem ${p.severity}`}>
            {p.message}
          </div>
        ))}
        {!props.readOnly && (
          <button type="button" className="btn btn-danger btn-small" onClick={() => props.onDelete([], [e.id])}>
            {t('inspector.deleteEdge')}
          </button>
        )}
      </div>
    );
  }
  return (
    <FlowSettings
      name={props.name}
      description={props.description}
      variables={props.flowVariables}
      readOnly={props.readOnly}
      onMeta={props.onMeta}
      onVariables={props.onVariables}
    />
  );
});
