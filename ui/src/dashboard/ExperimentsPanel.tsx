/** Experiment results on the dashboard: each variant's lift, interval and verdict. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentResult } from '../api/types';
import { useFormat, useT, type MessageKey } from '../i18n';

const STATUS_LABEL: Record<ExperimentResult['status'], MessageKey> = {
  insufficient_data: 'dashboard.status.insufficient',
  no_significant_difference: 'dashboard.status.noDifference',
  winner: 'dashboard.status.winner',
};

export function Experiments({ results }: { results: ExperimentResult[] }) {
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
