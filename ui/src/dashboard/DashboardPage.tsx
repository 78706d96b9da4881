/**
 * The dashboard: KPIs per flow and period, experiment results (lift and confidence), and traffic
 * and drop-off per edge drawn on the flow's graph. Everything comes from the KPI API
 * (`GET /api/kpis`, `/flows/:id/experiments`, `/flows/:id/traffic`); when a route is missing or
 * answers nothing, its section says "sin datos todavía". No number is made up here.
 */
import type { QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { isMissing } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ExperimentResult, KpiKey, KpiReport, TrafficReport } from '../api/types';
import { useApi } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner, StatusBadge } from '../components/common';
import type { CanvasEdge } from '../editor/convert';
import { PaletteProvider } from '../editor/palette-context';
import { CanvasSignals } from '../editor/signals';
import { FlowGraph } from '../graph/FlowGraph';
import { useAsync } from '../hooks';
import { useFormat, useT, type MessageKey } from '../i18n';
import { Link, useRouter } from '../router';
import { duration } from '../runs/RunsPage';

const PERIODS: { days: number; label: MessageKey }[] = [
  { days: 7, label: 'period.7d' },
  { days: 30, label: 'period.30d' },
  { days: 90, label: 'period.90d' },
];

type Fmt = ReturnType<typeof useFormat>;

const KPIS: { key: KpiKey; label: MessageKey; format: (v: number, f: Fmt) => string }[] = [
  { key: 'responseTimeP50Ms', label: 'kpi.responseTimeP50Ms', format: (v, f) => f.ms(v) },
  { key: 'responseTimeP95Ms', label: 'kpi.responseTimeP95Ms', format: (v, f) => f.ms(v) },
  { key: 'escalationRate', label: 'kpi.escalationRate', format: (v, f) => f.percent(v) },
  { key: 'aiResolutionRate', label: 'kpi.aiResolutionRate', format: (v, f) => f.percent(v) },
  { key: 'fcrRate', label: 'kpi.fcrRate', format: (v, f) => f.percent(v) },
  { key: 'csat', label: 'kpi.csatAverage', format: (v, f) => `${f.number(v)} / 5` },
  { key: 'abandonmentRate', label: 'kpi.abandonmentRate', format: (v, f) => f.percent(v) },
  { key: 'conversionRate', label: 'kpi.conversionRate', format: (v, f) => f.percent(v) },
  { key: 'timeToResolutionP50Ms', label: 'kpi.timeToResolutionP50Seconds', format: (v, f) => f.ms(v) },
  { key: 'costPerInteractionUsd', label: 'kpi.costPerInteractionUsd', format: (v, f) => f.usd(v) },
  { key: 'roi', label: 'kpi.roi', format: (v, f) => f.percent(v) },
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

function NoData({ testId }: { testId?: string }) {
  const t = useT();
  return <EmptyState title={t('common.noDataYet')} hint={t('dashboard.noDataHint')} testId={testId} />;
}

function KpiCards({ report }: { report: KpiReport }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="kpi-grid" data-testid="kpi-cards">
      <div className="kpi-card">
        <div className="kpi-label">{t('kpi.runs')}</div>
        <div className="kpi-value">{fmt.number(report.runs)}</div>
      </div>
      {KPIS.map((k) => {
        const v = report.values[k.key];
        const hint = k.key === 'csat' ? t('kpi.responses', { count: report.counts.csatResponses }) : undefined;
        return (
          <div key={k.key} className={`kpi-card${typeof v === 'number' ? '' : ' kpi-empty'}`} data-kpi={k.key}>
            <div className="kpi-label">{t(k.label)}</div>
            <div className={`kpi-value${typeof v === 'number' ? '' : ' muted'}`}>{typeof v === 'number' ? k.format(v, fmt) : '—'}</div>
            {hint && typeof v === 'number' && <div className="kpi-hint">{hint}</div>}
          </div>
        );
      })}
    </div>
  );
}

function KpiCharts({ report }: { report: KpiReport }) {
  const t = useT();
  const fmt = useFormat();
  const available = KPIS.filter((k) => report.series.some((p) => typeof p.values[k.key] === 'number'));
  const [metric, setMetric] = useState<string>('runs');
  const kpi = KPIS.find((k) => k.key === metric);
  const data = report.series.map((p) => ({ at: p.at.slice(0, 10), value: kpi ? (p.values[kpi.key] ?? null) : p.runs }));
  const format = (v: number) => (kpi ? kpi.format(v, fmt) : fmt.number(v));
  const outcomes = Object.entries(report.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, runs]) => ({ outcome, runs }));
  return (
    <div className="chart-row">
      {report.series.length > 1 && (
        <div className="card chart-card">
          <div className="card-head">
            <h3>{t('dashboard.trend')}</h3>
            <select value={metric} onChange={(e) => setMetric(e.target.value)} aria-label={t('dashboard.metric')}>
              <option value="runs">{t('kpi.runs')}</option>
              {available.map((k) => (
                <option key={k.key} value={k.key}>
                  {t(k.label)}
                </option>
              ))}
            </select>
          </div>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="at" fontSize={11} />
              <YAxis fontSize={11} tickFormatter={format} width={64} allowDecimals={!!kpi} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
              <Line type="monotone" dataKey="value" stroke="#2563eb" strokeWidth={2} dot={data.length < 40} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      {outcomes.length > 0 && (
        <div className="card chart-card" data-testid="outcomes">
          <div className="card-head">
            <h3>{t('dashboard.outcomes')}</h3>
          </div>
          <ResponsiveContainer width="100%" height={70 + outcomes.length * 34}>
            <BarChart data={outcomes} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis type="number" fontSize={11} allowDecimals={false} />
              <YAxis type="category" dataKey="outcome" fontSize={11} width={90} />
              <Tooltip />
              <Bar dataKey="runs" fill="#2563eb" barSize={18} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}

const STATUS_LABEL: Record<ExperimentResult['status'], MessageKey> = {
  insufficient_data: 'dashboard.status.insufficient',
  no_significant_difference: 'dashboard.status.noDifference',
  winner: 'dashboard.status.winner',
};

function Experiments({ results }: { results: ExperimentResult[] }) {
  const t = useT();
  const fmt = useFormat();
  const pct = (v: number | null) => (v === null ? '—' : fmt.percent(v));
  const pValue = (v: number | null) => (v === null ? '—' : v < 0.001 ? '< 0,001' : v.toFixed(3));
  return (
    <div className="experiments" data-testid="experiments">
      {results.map((e) => {
        const chart = e.variants.filter((v) => v.rate !== null).map((v) => ({ id: v.id, rate: v.rate as number }));
        // With more than one comparison with the control, significance is read on the adjusted p.
        const corrected = e.correction === 'holm';
        return (
          <div key={`${e.experiment}-${e.nodeId ?? ''}`} className="card">
            <div className="card-head">
              <h3>
                {t('dashboard.experiment')}: <span className="mono">{e.experiment}</span>
                {e.goal && <span className="muted small"> · {t('dashboard.goal', { goal: e.goal })}</span>}
              </h3>
              <span
                className={`badge ${e.status === 'winner' ? 'badge-published' : e.status === 'insufficient_data' ? 'badge-draft' : ''}`}
                data-testid="experiment-status"
              >
                {t(STATUS_LABEL[e.status], { winner: e.winner ?? '', min: e.minSample })}
              </span>
            </div>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('dashboard.variant')}</th>
                  <th className="num">{t('dashboard.exposures')}</th>
                  <th className="num">{t('dashboard.conversions')}</th>
                  <th className="num">{t('dashboard.rate')}</th>
                  <th className="num">{t('dashboard.lift')}</th>
                  <th className="num">{t('dashboard.interval', { level: fmt.percent(e.ciLevel) })}</th>
                  <th className="num">{t('dashboard.pValue')}</th>
                  {corrected && <th className="num">{t('dashboard.pValueAdjusted')}</th>}
                  <th className="num">{t('dashboard.probabilityBest')}</th>
                </tr>
              </thead>
              <tbody>
                {e.variants.map((v) => (
                  <tr key={v.id}>
                    <td className="mono">
                      {v.id}
                      {v.isControl && <span className="badge badge-small">{t('dashboard.control')}</span>}
                    </td>
                    <td className="num">{fmt.number(v.exposures)}</td>
                    <td className="num">{fmt.number(v.conversions)}</td>
                    <td className="num">{pct(v.rate)}</td>
                    <td className={`num ${v.lift !== null ? (v.lift > 0 ? 'up' : v.lift < 0 ? 'down' : '') : ''}`}>
                      {v.lift === null ? '—' : `${v.lift > 0 ? '+' : ''}${fmt.percent(v.lift)}`}
                    </td>
                    <td className="num">{v.interval ? `${pct(v.interval[0])} … ${pct(v.interval[1])}` : '—'}</td>
                    <td className={`num${v.significant && !corrected ? ' up' : ''}`}>{pValue(v.pValue)}</td>
                    {corrected && (
                      <td className={`num${v.significant ? ' up' : ''}`} data-testid="p-adjusted">
                        {pValue(v.pValueAdjusted)}
                      </td>
                    )}
                    <td className="num">{pct(v.probabilityBest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {corrected && (
              <p className="muted small" data-testid="experiment-correction">
                {t('dashboard.correction', { n: e.comparisons, level: fmt.percent(e.ciLevel) })}
              </p>
            )}
            {chart.length > 0 && (
              <ResponsiveContainer width="100%" height={150}>
                <BarChart data={chart} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                  <XAxis dataKey="id" fontSize={11} />
                  <YAxis fontSize={11} tickFormatter={(v: number) => fmt.percent(v)} width={52} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? fmt.percent(v) : String(v))} />
                  <Bar dataKey="rate" fill="#65a30d" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </div>
        );
      })}
    </div>
  );
}

function TrafficGraph({ flowId, traffic }: { flowId: string; traffic: TrafficReport | null }) {
  const t = useT();
  const api = useApi();
  const flow = useAsync(
    async () => {
      const f = await api.getFlow(flowId);
      if (f.latestVersion) return (await api.getVersion(flowId, f.latestVersion)).definition;
      return f.draft;
    },
    [flowId],
    queryKeys.flows.trafficGraph(flowId),
  );
  const signals = useMemo(() => new CanvasSignals(), []);
  useEffect(() => {
    signals.setTraffic(new Map((traffic?.nodes ?? []).map((n) => [n.nodeId, { entered: n.entered, dropOff: n.dropOff }])));
  }, [traffic, signals]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const e of traffic?.edges ?? []) {
      if (e.id) m.set(e.id, e.count);
      m.set(`${e.source}\u0000${e.sourceHandle ?? ''}\u0000${e.target ?? ''}`, e.count);
      if (e.sourceHandle && !e.target) m.set(`${e.source}\u0000${e.sourceHandle}`, e.count);
    }
    return m;
  }, [traffic]);
  const max = Math.max(1, ...(traffic?.edges ?? []).map((e) => e.count));
  const decorate = useCallback(
    (e: CanvasEdge) => {
      const count =
        counts.get(e.id) ?? counts.get(`${e.source}\u0000${e.sourceHandle ?? ''}\u0000${e.target}`) ?? counts.get(`${e.source}\u0000${e.sourceHandle ?? ''}`);
      if (count === undefined) return traffic ? { ...e, className: 'edge-dim' } : e;
      if (count === 0) return { ...e, className: 'edge-dim' };
      return {
        ...e,
        label: String(count),
        style: { strokeWidth: 1.5 + (count / max) * 6 },
        className: 'edge-traffic',
        labelBgPadding: [4, 2] as [number, number],
      };
    },
    [counts, max, traffic],
  );
  if (flow.loading && !flow.data) return <Spinner label={t('common.loading')} />;
  if (!flow.data) return <ErrorMessage error={flow.error} />;
  return (
    <PaletteProvider>
      <FlowGraph definition={flow.data} signals={signals} decorateEdge={decorate} testId="traffic-graph" />
    </PaletteProvider>
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
