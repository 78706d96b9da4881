/**
 * The dashboard: KPIs per flow and period, experiment results (lift and confidence), and traffic
 * and drop-off per edge drawn on the flow's graph. Everything comes from the KPI API
 * (`GET /api/kpis`, `/flows/:id/experiments`, `/flows/:id/traffic`); when a route is missing or
 * answers nothing, its section says "sin datos todavía". No number is made up here.
 */
import type { QueryKey } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { isMissing } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useApi } from '../auth/AuthContext';
import { ErrorMessage, Spinner, StatusBadge } from '../components/common';
import { useAsync } from '../hooks';
import { useFormat, useT, type MessageKey } from '../i18n';
import { Link, useRouter } from '../router';
import { duration } from '../runs/RunsPage';
import { Experiments } from './ExperimentsPanel';
import { KpiCards, KpiCharts, NoData } from './KpiPanels';
import { TrafficGraph } from './TrafficGraph';

const PERIODS: { days: number; label: MessageKey }[] = [
  { days: 7, label: 'period.7d' },
  { days: 30, label: 'period.30d' },
  { days: 90, label: 'period.90d' },
];

/** Loads a KPI route; a missing route (404) or an empty answer is "no data yet", not an error. */
function useOptional<T>(load: () => Promise<T | null>, deps: unknown[], key: QueryKey) {
  return useAsync(
    async () => {
      try {
        return await load();
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    deps,
    key,
  );
}

export function DashboardPage() {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  const { search, navigate } = useRouter();
  const flows = useAsync(() => api.listFlows({ limit: 100 }), [], queryKeys.flows.list({ limit: 100 }));
  const [days, setDays] = useState(Number(search.get('days')) || 30);
  const flowList = flows.data?.items ?? [];
  const requested = search.get('flowId');
  const flowId = requested ?? flowList.find((f) => f.latestVersion !== null)?.id ?? flowList[0]?.id ?? '';
  const flow = flowList.find((f) => f.id === flowId);
  // Bumped by the refresh button: a new period ending now, so every panel reads again.
  const [asked, setAsked] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [days, flowId, asked]);
  // The KPI reads never refresh their figures (the worker does, every few seconds): asked for the
  // newest ones, the dashboard sends the refresh command first, then reads. A failed refresh (an old
  // server without the route) still rereads what there is.
  const refresh = async () => {
    setRefreshing(true);
    try {
      await api.refreshKpis().catch(() => undefined);
    } finally {
      setRefreshing(false);
      setAsked((n) => n + 1);
    }
  };

  const setFlow = (id: string) => navigate(`/dashboard?flowId=${encodeURIComponent(id)}&days=${days}`, { replace: true });
  const kpis = useOptional(
    () => api.kpis({ flowId: flowId || undefined, ...range, interval: 'day' }),
    [flowId, range],
    queryKeys.kpis.report({ flowId: flowId || undefined, ...range, interval: 'day' }),
  );
  const experiments = useOptional(async () => (flowId ? api.experiments(flowId, range) : []), [flowId, range], queryKeys.kpis.experiments(flowId, range));
  const traffic = useOptional(async () => (flowId ? api.traffic(flowId, range) : null), [flowId, range], queryKeys.kpis.traffic(flowId, range));
  const recent = useAsync(async () => (flowId ? api.listRuns({ flowId, pageSize: 8 }) : null), [flowId], queryKeys.runs.list({ flowId, pageSize: 8 }));

  if (flows.loading && !flows.data) return <Spinner label={t('common.loading')} />;
  return (
    <div className="page dashboard" data-testid="dashboard">
      <div className="page-header">
        <div>
          <h1>{t('dashboard.title')}</h1>
          <p className="muted">{t('dashboard.subtitle')}</p>
        </div>
        <div className="toolbar-row">
          <select value={flowId} onChange={(e) => setFlow(e.target.value)} aria-label={t('runs.filter.flow')} data-testid="dashboard-flow">
            {flowList.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <div className="segmented" role="group" aria-label={t('runs.filter.period')}>
            {PERIODS.map((p) => (
              <button
                key={p.days}
                type="button"
                className={days === p.days ? 'active' : undefined}
                aria-pressed={days === p.days}
                onClick={() => setDays(p.days)}
              >
                {t(p.label)}
              </button>
            ))}
          </div>
          <button type="button" className="btn" onClick={() => void refresh()} disabled={refreshing} data-testid="dashboard-refresh">
            {t('common.refresh')}
          </button>
        </div>
      </div>
      <ErrorMessage error={flows.error} />
      {flowList.length === 0 ? (
        <NoData testId="dashboard-empty" />
      ) : (
        <>
          {flow && (
            <div className="dashboard-flow">
              <Link to={`/flows/${flow.id}`} className="row-title">
                {flow.name}
              </Link>
              <StatusBadge status={flow.status} />
              {flow.latestVersion && <span className="badge">v{flow.latestVersion}</span>}
            </div>
          )}
          <section className="dashboard-section">
            <h2>{t('dashboard.kpis')}</h2>
            <ErrorMessage error={kpis.error} />
            {kpis.loading && !kpis.data ? <Spinner /> : kpis.data ? <KpiCards report={kpis.data} /> : <NoData testId="kpis-empty" />}
            {kpis.data && <KpiCharts report={kpis.data} />}
          </section>
          <section className="dashboard-section">
            <h2>{t('dashboard.experiments')}</h2>
            <ErrorMessage error={experiments.error} />
            {experiments.loading && !experiments.data ? (
              <Spinner />
            ) : experiments.data && experiments.data.length > 0 ? (
              <Experiments results={experiments.data} />
            ) : (
              <NoData testId="experiments-empty" />
            )}
          </section>
          <section className="dashboard-section">
            <h2>{t('dashboard.traffic')}</h2>
            <ErrorMessage error={traffic.error} />
            {!traffic.loading && !traffic.data && (
              <p className="muted small" data-testid="traffic-empty">
                {t('common.noDataYet')} · {t('dashboard.trafficHint')}
              </p>
            )}
            {flowId && (
              <div className="card graph-card">
                <TrafficGraph flowId={flowId} traffic={traffic.data ?? null} />
              </div>
            )}
          </section>
          <section className="dashboard-section">
            <div className="card-head">
              <h2>{t('dashboard.recentRuns')}</h2>
              {flowId && <Link to={`/runs?flowId=${flowId}`}>{t('dashboard.allRuns')}</Link>}
            </div>
            {recent.data && recent.data.items.length > 0 ? (
              <div className="card table-card">
                <table className="table">
                  <tbody>
                    {recent.data.items.map((r) => (
                      <tr key={r.runId}>
                        <td>
                          <Link to={`/runs/${r.runId}`} className="mono">
                            {r.runId.slice(4, 12)}
                          </Link>
                        </td>
                        <td>
                          <StatusBadge status={r.status} kind="run" />
                        </td>
                        <td>{r.outcome ?? '—'}</td>
                        <td className="muted">{fmt.dateTime(r.startedAt)}</td>
                        <td>{duration(r.startedAt, r.closedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : recent.loading ? (
              <Spinner />
            ) : (
              <p className="muted small">{t('runs.empty')}</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
