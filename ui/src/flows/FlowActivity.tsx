/**
 * The sparkline of a flow in the list: runs per day over the last 14 days from the KPI API
 * (`GET /api/kpis?interval=day`); on a server without it, counted from the run index. Nothing is
 * drawn for a flow without runs: "sin datos todavía".
 */
import { memo } from 'react';
import { isMissing } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { useApi } from '../auth/AuthContext';
import { Sparkline } from '../components/common';
import { useAsync } from '../hooks';
import { useT } from '../i18n';

const DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether `/api/kpis` exists, learned once per page load, so a long list does not ask 50 times. */
let kpiApi: 'unknown' | 'present' | 'missing' = 'unknown';
export function resetKpiProbe(): void {
  kpiApi = 'unknown';
}

function dayIndex(iso: string, start: number): number {
  return Math.floor((Date.parse(iso) - start) / DAY_MS);
}

function perDay(dates: { at: string; runs: number }[], start: number): number[] | null {
  const counts = new Array<number>(DAYS).fill(0);
  for (const d of dates) {
    const i = dayIndex(d.at, start);
    if (i >= 0 && i < DAYS) counts[i] += d.runs;
  }
  return counts.some((c) => c > 0) ? counts : null;
}

export const FlowActivity = memo(function FlowActivity({ flowId, published }: { flowId: string; published: boolean }) {
  const t = useT();
  const api = useApi();
  const state = useAsync(
    async () => {
      // Whole UTC days, so the KPI API's daily buckets line up with the sparkline's.
      const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - (DAYS - 1) * DAY_MS;
      const range = { from: new Date(start).toISOString(), to: new Date(start + DAYS * DAY_MS).toISOString() };
      if (!published) return null;
      if (kpiApi !== 'missing') {
        try {
          const report = await api.kpis({ flowId, ...range, interval: 'day' });
          kpiApi = 'present';
          return report ? perDay(report.series, start) : null;
        } catch (err) {
          if (!isMissing(err)) throw err;
          kpiApi = 'missing';
        }
      }
      const page = await api.listRuns({ flowId, startedAfter: range.from, pageSize: 100 });
      return perDay(
        page.items.map((r) => ({ at: r.startedAt, runs: 1 })),
        start,
      );
    },
    [flowId, published],
    queryKeys.kpis.flowActivity(flowId, published),
  );

  if (state.loading) return <span className="spark-placeholder" aria-hidden="true" />;
  if (!state.data) return <span className="muted small">{t('common.noDataYet')}</span>;
  const label = t('flows.spark.runs');
  const total = state.data.reduce((a, b) => a + b, 0);
  return (
    <span className="spark" title={`${label}: ${total}`}>
      <Sparkline values={state.data} label={label} />
      <span className="spark-label">{label}</span>
    </span>
  );
});
