/**
 * Version history: every published version, newest first; a diff between any two sides (a version
 * or the draft), marked on the canvas; and "restore into the draft" for editors.
 */
import { useEffect, useState } from 'react';
import type { FlowDefinition } from '../../../../workflows/language';
import { queryKeys } from '../../api/query-keys';
import type { FlowDiff } from '../../api/types';
import { useApi } from '../../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner } from '../../components/common';
import { useAsync } from '../../hooks';
import { useFormat, useT } from '../../i18n';

type Side = number | 'draft';

export function VersionsPanel({
  flowId,
  canRestore,
  nodeName,
  onDiff,
  onRestore,
  onFocusNode,
}: {
  flowId: string;
  canRestore: boolean;
  nodeName: (id: string) => string;
  onDiff: (diff: FlowDiff | null) => void;
  onRestore: (definition: FlowDefinition, version: number) => void;
  onFocusNode: (id: string) => void;
}) {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  // A publish, wherever it was made, refreshes this list (its write makes the key stale).
  const versions = useAsync(() => api.listVersions(flowId), [flowId], queryKeys.flows.versions(flowId));
  const items = versions.data?.items ?? [];
  const [from, setFrom] = useState<Side | null>(null);
  const [to, setTo] = useState<Side>('draft');
  const [diff, setDiff] = useState<FlowDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // The newest version is the first side of a comparison until the user picks another.
  const newest = items[0]?.version ?? null;
  useEffect(() => {
    if (from === null && newest !== null) setFrom(newest);
  }, [newest, from]);
  useEffect(() => () => onDiff(null), [onDiff]);

  const compare = async () => {
    if (from === null) return;
    setBusy(true);
    setError(null);
    try {
      const d = await api.diffVersions(flowId, from, to);
      setDiff(d);
      onDiff(d);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (version: number) => {
    setBusy(true);
    try {
      const v = await api.getVersion(flowId, version);
      onRestore(v.definition, version);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const sideLabel = (s: Side) => (s === 'draft' ? t('versions.draft') : `v${s}`);
  const options: Side[] = ['draft', ...items.map((v) => v.version)];

  if (versions.loading && !versions.data) return <Spinner label={t('common.loading')} />;
  return (
    <div className="versions" data-testid="versions">
      <ErrorMessage error={versions.error ?? error} />
      {items.length === 0 ? (
        <EmptyState title={t('versions.none')} hint={t('versions.noneHint')} />
      ) : (
        <>
          <ul className="version-list">
            {items.map((v) => (
              <li key={v.version} className="version-item">
                <div>
                  <strong>v{v.version}</strong> <span className="muted small">{fmt.dateTime(v.publishedAt)}</span>
                  <div className="muted small">{t('versions.nodes', { count: v.nodeCount })}</div>
                </div>
                {canRestore && (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => restore(v.version)}
                    disabled={busy}
                    title={t('versions.restoreHint')}
                  >
                    {t('versions.restore')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <div className="diff-controls">
            <h4>{t('versions.compare')}</h4>
            <div className="inline-input">
              <select
                value={String(from ?? '')}
                onChange={(e) => setFrom(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}
                aria-label={t('versions.from')}
              >
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
              <span>→</span>
              <select value={String(to)} onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))} aria-label={t('versions.to')}>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-small btn-primary" onClick={compare} disabled={busy || from === null} data-testid="diff-compare">
                {t('versions.compareButton')}
              </button>
            </div>
          </div>
          {diff && (
            <div className="diff" data-testid="diff">
              {diff.identical ? (
                <p className="muted">{t('versions.identical', { from: sideLabel(diff.from), to: sideLabel(diff.to) })}</p>
              ) : (
                <>
                  <DiffSection title={t('versions.nodesAdded')} ids={diff.nodes.added} kind="added" label={nodeName} onClick={onFocusNode} />
                  <DiffSection title={t('versions.nodesRemoved')} ids={diff.nodes.removed} kind="removed" label={(id) => id} />
                  <DiffChanged title={t('versions.nodesChanged')} items={diff.nodes.changed} label={nodeName} onClick={onFocusNode} />
                  <DiffSection title={t('versions.nodesMoved')} ids={diff.nodes.moved} kind="moved" label={nodeName} onClick={onFocusNode} />
                  <DiffSection title={t('versions.edgesAdded')} ids={diff.edges.added} kind="added" label={(id) => id} />
                  <DiffSection title={t('versions.edgesRemoved')} ids={diff.edges.removed} kind="removed" label={(id) => id} />
                  <DiffChanged title={t('versions.edgesChanged')} items={diff.edges.changed} label={(id) => id} />
                  <DiffSection title={t('versions.variablesAdded')} ids={diff.variables.added} kind="added" label={(id) => id} />
                  <DiffSection title={t('versions.variablesRemoved')} ids={diff.variables.removed} kind="removed" label={(id) => id} />
                  <DiffChanged title={t('versions.variablesChanged')} items={diff.variables.changed} label={(id) => id} />
                  {diff.to === 'draft' && <p className="muted small">{t('versions.canvasHint')}</p>}
                </>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}

function DiffSection({
  title,
  ids,
  kind,
  label,
  onClick,
}: {
  title: string;
  ids: string[];
  kind: string;
  label: (id: string) => string;
  onClick?: (id: string) => void;
}) {
  if (ids.length === 0) return null;
  return (
    <div className="diff-section">
      <h5>
        {title} <span className="muted">({ids.length})</span>
      </h5>
      <ul>
        {ids.map((id) => (
          <li key={id} className={`diff-${kind}`}>
            {onClick ? (
              <button type="button" className="link" onClick={() => onClick(id)}>
                {label(id)}
              </button>
            ) : (
              <span className="mono small">{label(id)}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DiffChanged({
  title,
  items,
  label,
  onClick,
}: {
  title: string;
  items: { id: string; fields: string[] }[];
  label: (id: string) => string;
  onClick?: (id: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <div className="diff-section">
      <h5>
        {title} <span className="muted">({items.length})</span>
      </h5>
      <ul>
        {items.map((c) => (
          <li key={c.id} className="diff-changed">
            {onClick ? (
              <button type="button" className="link" onClick={() => onClick(c.id)}>
                {label(c.id)}
              </button>
            ) : (
              <span className="mono small">{label(c.id)}</span>
            )}
            <span className="muted small mono"> {c.fields.join(', ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
