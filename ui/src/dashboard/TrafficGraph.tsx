/** Traffic and drop-off per edge, drawn on the flow's graph. */
import { useCallback, useEffect, useMemo } from 'react';
import { queryKeys } from '../api/query-keys';
import type { TrafficReport } from '../api/types';
import { useApi } from '../auth/AuthContext';
import { ErrorMessage, Spinner } from '../components/common';
import type { CanvasEdge } from '../editor/convert';
import { PaletteProvider } from '../editor/palette-context';
import { CanvasSignals } from '../editor/signals';
import { FlowGraph } from '../graph/FlowGraph';
import { useAsync } from '../hooks';
import { useT } from '../i18n';

export function TrafficGraph({ flowId, traffic }: { flowId: string; traffic: TrafficReport | null }) {
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
