/** The KPI cards and charts of the dashboard, and its "no data yet" state. */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KpiKey, KpiReport } from '../api/types';
import { EmptyState } from '../components/common';
import { useFormat, useT, type MessageKey } from '../i18n';

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

export function NoData({ testId }: { testId?: string }) {
  const t = useT();
  return <EmptyState title={t('common.noDataYet')} hint={t('dashboard.noDataHint')} testId={testId} />;
}

export function KpiCards({ report }: { report: KpiReport }) {
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

export function KpiCharts({ report }: { report: KpiReport }) {
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
