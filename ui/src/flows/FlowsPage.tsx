/** The flows list: search, filter by status, create (blank or from an example), duplicate, archive. */
import { useState, type FormEvent } from 'react';
import type { FlowDefinition } from '../../../workflows/language/types';
import { EXAMPLE_FLOWS } from '../../../workflows/language/examples';
import { queryKeys } from '../api/query-keys';
import type { FlowStatus, FlowSummary } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Modal, Spinner, StatusBadge, useErrorText } from '../components/common';
import { useAction, useCursorPages, useDebounced } from '../hooks';
import { useFormat, useT, type MessageKey } from '../i18n';
import { Link, useRouter } from '../router';
import { FlowActivity } from './FlowActivity';

const STATUS_FILTERS: { value: FlowStatus | ''; label: MessageKey }[] = [
  { value: '', label: 'flows.filter.all' },
  { value: 'draft', label: 'status.draft' },
  { value: 'published', label: 'status.published' },
  { value: 'archived', label: 'status.archived' },
];

const TRIGGER_LABEL: Record<string, MessageKey> = {
  api: 'trigger.api',
  event: 'trigger.event',
  schedule: 'trigger.schedule',
  message: 'trigger.message',
};

type Template = 'blank' | keyof typeof EXAMPLE_FLOWS;
const TEMPLATES: { value: Template; label: MessageKey }[] = [
  { value: 'blank', label: 'flows.template.blank' },
  { value: 'supportTriage', label: 'flows.template.supportTriage' },
  { value: 'abandonedCart', label: 'flows.template.abandonedCart' },
  { value: 'churnRouting', label: 'flows.template.churnRouting' },
  { value: 'abExperiment', label: 'flows.template.abExperiment' },
];

const BLANK_FLOW: FlowDefinition = {
  nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'message', channel: 'chat' } }],
  edges: [],
};

function CreateFlowDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const { navigate } = useRouter();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [template, setTemplate] = useState<Template>('blank');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    try {
      const source: FlowDefinition = JSON.parse(JSON.stringify(template === 'blank' ? BLANK_FLOW : EXAMPLE_FLOWS[template]));
      // Examples come without editor positions worth keeping: the editor lays them out on open.
      if (template !== 'blank') for (const n of source.nodes) delete n.position;
      const flow = await api.createFlow({ name: name.trim(), description: description.trim(), definition: source });
      navigate(`/flows/${flow.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('flows.new')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="create-flow" className="btn btn-primary" disabled={busy || !name.trim()}>
            {t('flows.create')}
          </button>
        </>
      }
    >
      <form id="create-flow" onSubmit={submit} className="form-stack">
        <label className="field">
          <span className="field-label">{t('flows.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="new-flow-name" autoFocus />
        </label>
        <label className="field">
          <span className="field-label">{t('flows.description')}</span>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={2} />
        </label>
        <fieldset className="field">
          <legend className="field-label">{t('flows.startFrom')}</legend>
          <div className="template-grid">
            {TEMPLATES.map((tpl) => (
              <label key={tpl.value} className={`template-option${template === tpl.value ? ' selected' : ''}`}>
                <input type="radio" name="template" value={tpl.value} checked={template === tpl.value} onChange={() => setTemplate(tpl.value)} />
                <span>{t(tpl.label)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {error ? <div className="banner banner-error">{errorText(error)}</div> : null}
      </form>
    </Modal>
  );
}

/** One flow in the list. Duplicating or archiving it refreshes the list through the write (api/query-keys.ts). */
function FlowRow({ flow }: { flow: FlowSummary }) {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  const { can } = useAuth();
  const { navigate } = useRouter();
  const errorText = useErrorText();
  const [confirmArchive, setConfirmArchive] = useState(false);
  const { busy, error, run } = useAction();

  return (
    <tr data-testid="flow-row" data-flow-id={flow.id}>
      <td>
        <Link to={`/flows/${flow.id}`} className="row-title">
          {flow.name}
        </Link>
        {flow.description && <div className="row-sub">{flow.description}</div>}
        {error ? <div className="text-error">{errorText(error)}</div> : null}
      </td>
      <td>
        <StatusBadge status={flow.status} />
      </td>
      <td className="num">{flow.latestVersion ? `v${flow.latestVersion}` : <span className="muted">{t('flows.noVersion')}</span>}</td>
      <td>{flow.trigger ? t(TRIGGER_LABEL[flow.trigger] ?? 'trigger.api') : <span className="muted">—</span>}</td>
      <td>
        <FlowActivity flowId={flow.id} published={flow.latestVersion !== null} />
      </td>
      <td className="muted nowrap">{fmt.dateTime(flow.updatedAt)}</td>
      <td className="row-actions">
        <button type="button" className="btn btn-small" onClick={() => navigate(`/flows/${flow.id}`)}>
          {flow.status === 'archived' || !can('flows.write') ? t('common.open') : t('common.edit')}
        </button>
        {can('flows.write') && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => run(() => api.duplicateFlow(flow.id, `${flow.name} ${t('flows.copySuffix')}`))}
          >
            {t('flows.duplicate')}
          </button>
        )}
        {can('flows.write') && flow.status !== 'archived' && !confirmArchive && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setConfirmArchive(true)}>
            {t('flows.archive')}
          </button>
        )}
        {confirmArchive && (
          <span className="confirm-inline">
            {t('flows.archiveConfirm')}
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={busy}
              onClick={() => run(() => api.archiveFlow(flow.id)).then(() => setConfirmArchive(false))}
            >
              {t('flows.archive')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirmArchive(false)}>
              {t('common.cancel')}
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

export function FlowsPage() {
  const t = useT();
  const api = useApi();
  const { can } = useAuth();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<FlowStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const filters = { q: q || undefined, status: status || undefined, limit: 50 };
  const page = useCursorPages((cursor) => api.listFlows({ ...filters, cursor }), [q, status], queryKeys.flows.pages(filters));
  const flows = page.items;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{t('flows.title')}</h1>
          <p className="muted">{t('flows.subtitle')}</p>
        </div>
        {can('flows.write') && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-flow">
            {t('flows.new')}
          </button>
        )}
      </div>
      <div className="toolbar-row">
        <input
          type="search"
          className="search"
          placeholder={t('flows.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label={t('flows.search')}
        />
        <div className="segmented" role="group" aria-label={t('flows.filter.label')}>
          {STATUS_FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              className={status === f.value ? 'active' : undefined}
              aria-pressed={status === f.value}
              onClick={() => setStatus(f.value)}
            >
              {t(f.label)}
            </button>
          ))}
        </div>
      </div>
      <ErrorMessage error={page.error ?? page.moreError} />
      {page.loading && !page.data ? (
        <Spinner label={t('common.loading')} />
      ) : flows.length === 0 ? (
        <EmptyState title={q || status ? t('flows.noMatch') : t('flows.empty')} hint={q || status ? undefined : t('flows.emptyHint')}>
          {!q && !status && can('flows.write') && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('flows.new')}
            </button>
          )}
        </EmptyState>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>{t('flows.col.name')}</th>
                <th>{t('flows.col.status')}</th>
                <th>{t('flows.col.version')}</th>
                <th>{t('flows.col.trigger')}</th>
                <th>{t('flows.col.activity')}</th>
                <th>{t('flows.col.updated')}</th>
                <th aria-label={t('common.actions')} />
              </tr>
            </thead>
            <tbody>
              {flows.map((f) => (
                <FlowRow key={f.id} flow={f} />
              ))}
            </tbody>
          </table>
          {page.hasMore && (
            <div className="table-more">
              <button type="button" className="btn" onClick={page.loadMore}>
                {t('common.loadMore')}
              </button>
            </div>
          )}
        </div>
      )}
      {creating && <CreateFlowDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
