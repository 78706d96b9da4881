/** Runs: a filtered list (flow, status, customer, test runs, start date), newest first. */
import { useEffect, useMemo, useState } from 'react';
import { queryKeys } from '../api/query-keys';
import type { RunFilters } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner, StatusBadge } from '../components/common';
import { useAsync, useCursorPages, useDebounced } from '../hooks';
import { useFormat, useT, type MessageKey } from '../i18n';
import { Link, useRouter } from '../router';

const STATUSES: { value: string; label: MessageKey }[] = [
  { value: '', label: 'runs.filter.anyStatus' },
  { value: 'running', label: 'run.status.running' },
  { value: 'completed', label: 'run.status.completed' },
  { value: 'failed', label: 'run.status.failed' },
  { value: 'cancelled', label: 'run.status.cancelled' },
  { value: 'terminated', label: 'run.status.terminated' },
  { value: 'timed_out', label: 'run.status.timed_out' },
];

const PERIODS: { value: string; label: MessageKey; days: number | null }[] = [
  { value: '', label: 'runs.filter.anyTime', days: null },
  { value: '1', label: 'period.24h', days: 1 },
  { value: '7', label: 'period.7d', days: 7 },
  { value: '30', label: 'period.30d', days: 30 },
];

export function duration(from: string, to: string | null): string {
  const ms = Date.parse(to ?? new Date().toISOString()) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function RunsPage() {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  const { can } = useAuth();
  const { search, navigate, path } = useRouter();
  const [flowId, setFlowId] = useState(search.get('flowId') ?? '');
  const [status, setStatus] = useState(search.get('status') ?? '');
  const [customer, setCustomer] = useState(search.get('customerId') ?? '');
  const [period, setPeriod] = useState(search.get('days') ?? '');
  const [includeTest, setIncludeTest] = useState(search.get('includeTest') === 'true');
  const customerId = useDebounced(customer.trim(), 300);

  // Without the permission nothing is read, and that "nothing" stays private to this page.
  const flows = useAsync(
    () => (can('flows.read') ? api.listFlows({ limit: 100 }) : Promise.resolve(null)),
    [],
    can('flows.read') ? queryKeys.flows.list({ limit: 100 }) : undefined,
  );
  const flowNames = useMemo(() => new Map((flows.data?.items ?? []).map((f) => [f.id, f.name])), [flows.data]);

  const filters: RunFilters = useMemo(() => {
    const days = PERIODS.find((p) => p.value === period)?.days;
    return {
      flowId: flowId || undefined,
      status: status || undefined,
      customerId: customerId || undefined,
      includeTest: includeTest || undefined,
      startedAfter: days ? new Date(Date.now() - days * 86_400_000).toISOString() : undefined,
      pageSize: 30,
    };
  }, [flowId, status, customerId, includeTest, period]);

  // The filters live in the URL, so a filtered list can be shared and survives a reload.
  useEffect(() => {
    const q = new URLSearchParams();
    if (flowId) q.set('flowId', flowId);
    if (status) q.set('status', status);
    if (customerId) q.set('customerId', customerId);
    if (period) q.set('days', period);
    if (includeTest) q.set('includeTest', 'true');
    const s = q.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId, status, customerId, period, includeTest]);

  const page = useCursorPages((cursor) => api.listRuns({ ...filters, cursor }), [filters], queryKeys.runs.pages(filters));
  const runs = page.items;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{t('runs.title')}</h1>
          <p className="muted">{t('runs.subtitle')}</p>
        </div>
        <button type="button" className="btn" onClick={page.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <div className="toolbar-row filters" data-testid="run-filters">
        {can('flows.read') ? (
          <select value={flowId} onChange={(e) => setFlowId(e.target.value)} aria-label={t('runs.filter.flow')}>
            <option value="">{t('runs.filter.anyFlow')}</option>
            {(flows.data?.items ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        ) : (
          <input
            value={flowId}
            onChange={(e) => setFlowId(e.target.value.trim())}
            placeholder={t('runs.filter.flowId')}
            aria-label={t('runs.filter.flow')}
            className="mono"
          />
        )}
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('runs.filter.status')}>
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {t(s.label)}
            </option>
          ))}
        </select>
        <select value={period} onChange={(e) => setPeriod(e.target.value)} aria-label={t('runs.filter.period')}>
          {PERIODS.map((p) => (
            <option key={p.value} value={p.value}>
              {t(p.label)}
            </option>
          ))}
        </select>
        <input
          type="search"
          value={customer}
          onChange={(e) => setCustomer(e.target.value)}
          placeholder={t('runs.filter.customer')}
          aria-label={t('runs.filter.customer')}
        />
        <label className="checkbox">
          <input type="checkbox" checked={includeTest} onChange={(e) => setIncludeTest(e.target.checked)} />
          <span>{t('runs.filter.includeTest')}</span>
        </label>
      </div>
      <ErrorMessage error={page.error ?? page.moreError} />
      {page.loading && !page.data ? (
        <Spinner label={t('common.loading')} />
      ) : runs.length === 0 ? (
        <EmptyState title={t('runs.empty')} hint={t('runs.emptyHint')} />
      ) : (
        <div className="card table-card">
          <table className="table" data-testid="runs-table">
            <thead>
              <tr>
                <th>{t('runs.col.run')}</th>
                <th>{t('runs.col.flow')}</th>
                <th>{t('runs.col.customer')}</th>
                <th>{t('runs.col.status')}</th>
                <th>{t('runs.col.outcome')}</th>
                <th>{t('runs.col.started')}</th>
                <th>{t('runs.col.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId} data-testid="run-row">
                  <td>
                    <Link to={`/runs/${r.runId}`} className="mono row-title">
                      {r.runId.slice(4, 12)}
                    </Link>
                    {r.test && <span className="badge badge-test">{t('runs.test')}</span>}
                  </td>
                  <td>
                    {r.flowId ? (flowNames.get(r.flowId) ?? <span className="mono small">{r.flowId.slice(0, 8)}</span>) : '—'}
                    {r.version ? <span className="muted small"> v{r.version}</span> : null}
                  </td>
                  <td>{r.customerId ?? <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={r.status} kind="run" />
                  </td>
                  <td>{r.outcome ?? <span className="muted">—</span>}</td>
                  <td className="nowrap muted">{fmt.dateTime(r.startedAt)}</td>
                  <td className="nowrap">{duration(r.startedAt, r.closedAt)}</td>
                </tr>
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
    </div>
  );
}
