/**
 * One run: the path it took drawn on the flow's graph (the node it is in pulses), its transcript,
 * its path step by step and its variables; polled live while the run is open. Operators act as the
 * agent of an escalation from here.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { catalogForPalette, type FlowDefinition } from '../../../workflows/language';
import { queryKeys } from '../api/query-keys';
import type { Run } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner, StatusBadge, useErrorText } from '../components/common';
import type { CanvasEdge } from '../editor/convert';
import { useBranchLabel } from '../editor/labels';
import { PaletteProvider } from '../editor/palette-context';
import { CanvasSignals } from '../editor/signals';
import { FlowGraph } from '../graph/FlowGraph';
import { useAsync, useInterval } from '../hooks';
import { useFormat, useLocale, useT, type MessageKey } from '../i18n';
import { Link } from '../router';
import { duration } from './RunsPage';

const OPEN = new Set(['running', 'waiting']);
const WAITING: Record<string, MessageKey> = {
  reply: 'sim.waiting.reply',
  agent: 'sim.waiting.agent',
  event: 'sim.waiting.event',
  timer: 'sim.waiting.timer',
  subflow: 'sim.waiting.subflow',
};

/** Edges the run took: a step that left by a branch, followed by the next step. */
export function takenEdges(definition: FlowDefinition | null, path: Run['path']): Set<string> {
  const ids = new Set<string>();
  if (!definition) return ids;
  path.forEach((step, i) => {
    const next = path[i + 1];
    if (!step.branch || !next) return;
    const e = definition.edges.find((x) => x.source === step.nodeId && x.sourceHandle === step.branch && x.target === next.nodeId);
    if (e) ids.add(e.id);
  });
  return ids;
}

/** The agent's side of an escalation. What it sends refreshes the run by itself (api/query-keys.ts). */
function AgentPanel({ run }: { run: Run }) {
  const t = useT();
  const api = useApi();
  const errorText = useErrorText();
  const [agent, setAgent] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const accepted = run.escalation?.status === 'accepted';
  return (
    <section className="card sim-agent" data-testid="agent-panel">
      <h3>{t('sim.agentPanel')}</h3>
      {run.escalation && <p className="muted small">{t('sim.escalationInfo', { queue: run.escalation.queue, tier: run.escalation.tier + 1 })}</p>}
      <div className="inline-input">
        <input value={agent} onChange={(e) => setAgent(e.target.value)} placeholder={t('sim.agentName')} aria-label={t('sim.agentName')} />
        {!accepted && (
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={busy}
            onClick={() => act(() => api.sendBusinessEvent(run.runId, { type: 'agent.accepted', data: agent ? { agent } : undefined }))}
          >
            {t('sim.acceptAsAgent')}
          </button>
        )}
      </div>
      {accepted && (
        <>
          <form
            className="chat-input"
            onSubmit={(e) => {
              e.preventDefault();
              if (text.trim()) void act(() => api.sendMessage(run.runId, { text, from: 'agent', agent: agent || undefined }).then(() => setText('')));
            }}
          >
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('sim.typeAsAgent')} aria-label={t('sim.typeAsAgent')} />
            <button type="submit" className="btn" disabled={busy || !text.trim()}>
              {t('sim.send')}
            </button>
          </form>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={busy}
              onClick={() => act(() => api.sendBusinessEvent(run.runId, { type: 'agent.resolved' }))}
            >
              {t('sim.resolve')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => act(() => api.sendBusinessEvent(run.runId, { type: 'agent.returned' }))}
            >
              {t('sim.returnToBot')}
            </button>
          </div>
        </>
      )}
      {error ? <div className="text-error">{errorText(error)}</div> : null}
    </section>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  const [locale] = useLocale();
  const { can, role } = useAuth();
  const branchLabel = useBranchLabel();
  const run = useAsync(() => api.getRun(runId), [runId], queryKeys.runs.detail(runId));
  const data = run.data;
  const open = !!data && OPEN.has(data.status);
  useInterval(() => api.getRun(runId).then(run.setData, () => undefined), 1500, open);

  const flowId = data?.flowId ?? null;
  const version = data?.version ?? null;
  const source = useAsync(
    async () => {
      if (!flowId) return null;
      if (version && version > 0 && can('versions.read')) {
        const [v, f] = await Promise.all([api.getVersion(flowId, version), can('flows.read') ? api.getFlow(flowId).catch(() => null) : null]);
        return { definition: v.definition, name: f?.name ?? null };
      }
      // A test run of the draft: only editors see drafts.
      if (!can('flows.read')) return null;
      const f = await api.getFlow(flowId);
      return { definition: f.draft, name: f.name };
    },
    [flowId, version],
    flowId ? queryKeys.flows.runGraph(flowId, version) : undefined,
  );
  const definition = source.data?.definition ?? null;

  const signals = useMemo(() => new CanvasSignals(), []);
  useEffect(() => {
    if (!data) return;
    signals.setActive(OPEN.has(data.status) ? data.currentNode : null);
    signals.setVisited(new Set(data.path.map((p) => p.nodeId)));
  }, [data, signals]);
  const taken = useMemo(() => takenEdges(definition, data?.path ?? []), [definition, data?.path]);
  const decorate = useCallback(
    (e: CanvasEdge) => (taken.has(e.id) ? { ...e, className: 'edge-taken', animated: open } : { ...e, className: 'edge-dim' }),
    [taken, open],
  );

  const titles = useMemo(() => new Map(catalogForPalette(locale).map((p) => [p.type, p.title])), [locale]);
  const nodeName = (id: string) => {
    const n = definition?.nodes.find((x) => x.id === id);
    const label = typeof n?.data?.label === 'string' && n.data.label ? n.data.label : null;
    return label ?? (n ? (titles.get(n.type) ?? n.type) : id);
  };

  if (run.loading && !data) return <Spinner label={t('common.loading')} />;
  if (!data) {
    return (
      <div className="page">
        <ErrorMessage error={run.error} />
        <Link to="/runs">← {t('nav.runs')}</Link>
      </div>
    );
  }

  const showAgent = open && can('runs.agent') && (data.waitingFor === 'agent' || !!data.escalation);
  const canCancel = open && (can('runs.cancel') || (data.test && role === 'editor'));
  return (
    <div className="run-page" data-testid="run-page" data-status={data.status}>
      <div className="run-header">
        <Link to="/runs" className="btn btn-ghost btn-small">
          ← {t('nav.runs')}
        </Link>
        <h1 className="mono">{data.runId}</h1>
        <StatusBadge status={data.status} kind="run" />
        {data.test && <span className="badge badge-test">{t('runs.test')}</span>}
        {open && <span className="live-dot">{t('run.live')}</span>}
        {/* An accepted cancel refreshes the run through its write; a refused one (the run had just ended) rereads it. */}
        {canCancel && (
          <button type="button" className="btn btn-small btn-danger run-cancel" onClick={() => api.cancelRun(runId).catch(run.reload)}>
            {t('run.cancel')}
          </button>
        )}
      </div>
      <div className="run-body">
        <div className="run-graph">
          {definition ? (
            <PaletteProvider remote={can('flows.read')}>
              <FlowGraph definition={definition} signals={signals} decorateEdge={decorate} testId="run-graph" />
            </PaletteProvider>
          ) : source.loading && can('flows.read') ? (
            <Spinner label={t('common.loading')} />
          ) : (
            <EmptyState title={t('run.noGraph')} hint={can('flows.read') ? undefined : t('run.noGraphRole')} />
          )}
        </div>
        <aside className="run-side">
          <section className="card">
            <dl className="facts">
              <dt>{t('run.flow')}</dt>
              <dd>
                {flowId && can('flows.read') ? <Link to={`/flows/${flowId}`}>{source.data?.name ?? flowId}</Link> : (flowId ?? '—')}
                {version ? ` · v${version}` : data.test ? ` · ${t('versions.draft')}` : ''}
              </dd>
              <dt>{t('runs.col.customer')}</dt>
              <dd>{data.customerId ?? '—'}</dd>
              <dt>{t('runs.col.started')}</dt>
              <dd>{fmt.dateTime(data.startedAt)}</dd>
              <dt>{t('runs.col.duration')}</dt>
              <dd>{duration(data.startedAt, data.closedAt)}</dd>
              {data.outcome && (
                <>
                  <dt>{t('runs.col.outcome')}</dt>
                  <dd>{data.outcome}</dd>
                </>
              )}
              {open && (
                <>
                  <dt>{t('run.now')}</dt>
                  <dd>
                    {data.currentNode ? nodeName(data.currentNode) : '—'}
                    {data.waitingFor ? ` · ${t(WAITING[data.waitingFor] ?? 'sim.running')}` : ''}
                  </dd>
                </>
              )}
              {data.escalation && (
                <>
                  <dt>{t('run.escalation')}</dt>
                  <dd>
                    {t('sim.escalationInfo', { queue: data.escalation.queue, tier: data.escalation.tier + 1 })}
                    {data.escalation.agent ? ` · ${data.escalation.agent}` : ''}
                  </dd>
                </>
              )}
            </dl>
            {data.error && <div className="banner banner-error">{data.error.message}</div>}
            {!data.stateAvailable && <p className="muted small">{t('run.stateUnavailable')}</p>}
          </section>
          {showAgent && <AgentPanel run={data} />}
          <section className="card">
            <h3>{t('run.transcript')}</h3>
            {data.transcript.length === 0 ? (
              <p className="muted small">{t('run.noTranscript')}</p>
            ) : (
              <div className="chat chat-static" data-testid="run-transcript">
                {data.transcript.map((e, i) => (
                  <div key={i} className={`bubble from-${e.from}`}>
                    {e.from === 'agent' && <div className="bubble-who">{t('sim.agent')}</div>}
                    <div className="bubble-text">{e.text}</div>
                    <div className="bubble-time">{fmt.time(e.at)}</div>
                  </div>
                ))}
              </div>
            )}
          </section>
          <section className="card">
            <h3>{t('run.path')}</h3>
            <ol className="path-list" data-testid="run-path">
              {data.path.map((s, i) => (
                <li key={i} className={open && i === data.path.length - 1 ? 'current' : undefined}>
                  <span className="path-node">{nodeName(s.nodeId)}</span>
                  {s.branch && <span className="branch-chip">{branchLabel(s.branch)}</span>}
                  <span className="muted small">{fmt.time(s.enteredAt)}</span>
                </li>
              ))}
            </ol>
          </section>
          <section className="card">
            <h3>{t('run.variables')}</h3>
            <pre className="vars-view">{JSON.stringify(data.vars, null, 2)}</pre>
          </section>
        </aside>
      </div>
    </div>
  );
}
