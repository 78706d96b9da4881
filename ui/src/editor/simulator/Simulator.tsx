/**
 * The simulator: a test run of the saved draft (`POST /flows/:id/test-runs`) driven from a chat.
 * The CX lead writes as the customer, acts as the agent of an escalation, fires business events,
 * and the canvas highlights the node the run is in and the path it took (polled from the run).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { FlowProblem } from '../../../../workflows/language';
import { ApiError } from '../../api/client';
import type { Escalation, PathStep, Run, TranscriptEntry, WaitingFor } from '../../api/types';
import { useApi } from '../../auth/AuthContext';
import { useErrorText } from '../../components/common';
import { useInterval } from '../../hooks';
import { useFormat, useLocale, useT, type MessageKey } from '../../i18n';

export interface SimulationState {
  runId: string;
  currentNode: string | null;
  path: PathStep[];
  status: string;
}

const OPEN = new Set(['running', 'waiting']);
const POLL_MS = 1200;

const WAITING_TEXT: Record<string, MessageKey> = {
  reply: 'sim.waiting.reply',
  agent: 'sim.waiting.agent',
  event: 'sim.waiting.event',
  timer: 'sim.waiting.timer',
  subflow: 'sim.waiting.subflow',
};

const EVENT_SUGGESTIONS = ['purchase.completed', 'cart_abandoned', 'order.shipped', 'payment.failed'];

export function Simulator({
  flowId,
  ensureSaved,
  onState,
  nodeName,
  onProblems,
}: {
  flowId: string;
  ensureSaved: () => Promise<boolean>;
  onState: (state: SimulationState | null) => void;
  nodeName: (id: string) => string;
  onProblems: (problems: FlowProblem[]) => void;
}) {
  const t = useT();
  const api = useApi();
  const [locale] = useLocale();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [runId, setRunId] = useState<string | null>(null);
  const [transcript, setTranscript] = useState<TranscriptEntry[]>([]);
  const [status, setStatus] = useState<string>('idle');
  const [waitingFor, setWaitingFor] = useState<WaitingFor>(null);
  const [currentNode, setCurrentNode] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [escalation, setEscalation] = useState<Escalation | null>(null);
  const [vars, setVars] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [agentText, setAgentText] = useState('');
  const [agentName, setAgentName] = useState('Marta');
  const [inputJson, setInputJson] = useState('{}');
  const [customerId, setCustomerId] = useState('');
  const [eventType, setEventType] = useState('');
  const [eventData, setEventData] = useState('{}');
  const [showVars, setShowVars] = useState(false);
  const endRef = useRef<HTMLDivElement>(null);
  const runRef = useRef<string | null>(null);
  runRef.current = runId;

  const open = runId !== null && OPEN.has(status);

  const apply = useCallback(
    (run: Run) => {
      if (run.runId !== runRef.current) return;
      setStatus(run.status);
      setWaitingFor(run.waitingFor);
      setCurrentNode(run.currentNode);
      setOutcome(run.outcome);
      setEscalation(run.escalation ?? null);
      setVars(run.vars ?? {});
      if (run.stateAvailable && Array.isArray(run.transcript)) setTranscript(run.transcript);
      onState({ runId: run.runId, currentNode: OPEN.has(run.status) ? run.currentNode : null, path: run.path ?? [], status: run.status });
    },
    [onState],
  );

  const refresh = useCallback(async () => {
    const id = runRef.current;
    if (!id) return;
    try {
      apply(await api.getRun(id));
    } catch {
      // a missed poll is retried on the next tick
    }
  }, [api, apply]);

  useInterval(refresh, POLL_MS, open && !busy);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [transcript.length]);
  useEffect(() => () => onState(null), [onState]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409) await refresh();
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    act(async () => {
      let input: Record<string, unknown> = {};
      try {
        input = inputJson.trim() ? JSON.parse(inputJson) : {};
      } catch {
        throw new Error(t('sim.inputInvalid'));
      }
      if (!(await ensureSaved())) return;
      setTranscript([]);
      setOutcome(null);
      setEscalation(null);
      try {
        const started = await api.startTestRun(flowId, { input, customerId: customerId.trim() || undefined, locale });
        runRef.current = started.runId;
        setRunId(started.runId);
        setStatus(started.status);
        setTranscript(started.replies.map((r) => ({ from: r.from, text: r.text, at: r.at, nodeId: r.nodeId, buttons: r.buttons })));
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) onProblems(err.problems);
        throw err;
      }
      await refresh();
    });

  const send = (message: string, from: 'customer' | 'agent' = 'customer') =>
    act(async () => {
      if (!runId || !message.trim()) return;
      const at = new Date().toISOString();
      setTranscript((tr) => [...tr, { from, text: message, at }]);
      if (from === 'customer') setText('');
      else setAgentText('');
      const result = await api.sendMessage(runId, { text: message, from, ...(from === 'agent' ? { agent: agentName } : {}) });
      setTranscript((tr) => [...tr, ...result.replies.map((r) => ({ from: r.from, text: r.text, at: r.at, nodeId: r.nodeId, buttons: r.buttons }))]);
      setStatus(result.status);
      setWaitingFor(result.waitingFor);
      setCurrentNode(result.currentNode);
      await refresh();
    });

  const fire = (type: string, data?: Record<string, unknown>) =>
    act(async () => {
      if (!runId) return;
      await api.sendBusinessEvent(runId, { type, ...(data ? { data } : {}) });
      // The run acts on the event asynchronously: look again shortly.
      setTimeout(refresh, 300);
      setTimeout(refresh, 900);
    });

  const fireCustom = (event: FormEvent) => {
    event.preventDefault();
    let data: Record<string, unknown> | undefined;
    try {
      data = eventData.trim() && eventData.trim() !== '{}' ? JSON.parse(eventData) : undefined;
    } catch {
      setError(new Error(t('sim.eventDataInvalid')));
      return;
    }
    if (eventType.trim()) void fire(eventType.trim(), data);
  };

  const stop = () =>
    act(async () => {
      if (!runId) return;
      await api.cancelRun(runId);
      setTimeout(refresh, 400);
    });

  const reset = () => {
    setRunId(null);
    runRef.current = null;
    setTranscript([]);
    setStatus('idle');
    setCurrentNode(null);
    setWaitingFor(null);
    setEscalation(null);
    setOutcome(null);
    setError(null);
    onState(null);
  };

  const lastButtons = [...transcript].reverse().find((e) => e.from !== 'customer')?.buttons;
  const agentActive = escalation?.status === 'accepted';

  return (
    <div className="simulator" data-testid="simulator">
      {!runId ? (
        <div className="sim-start">
          <p className="muted">{t('sim.intro')}</p>
          <details className="sim-options">
            <summary>{t('sim.options')}</summary>
            <label className="field">
              <span className="field-label">{t('sim.input')}</span>
              <textarea className="mono" rows={3} value={inputJson} onChange={(e) => setInputJson(e.target.value)} spellCheck={false} />
            </label>
            <label className="field">
              <span className="field-label">{t('sim.customer')}</span>
              <input value={customerId} onChange={(e) => setCustomerId(e.target.value)} placeholder="cust-42" />
            </label>
          </details>
          <button type="button" className="btn btn-primary btn-block" onClick={start} disabled={busy} data-testid="sim-start">
            {busy ? t('sim.starting') : t('sim.start')}
          </button>
        </div>
      ) : (
        <>
          <div className="sim-status" data-testid="sim-status" data-status={status} data-waiting={waitingFor ?? ''}>
            <span className={`status-dot ${status}`} />
            <span>
              {OPEN.has(status)
                ? waitingFor
                  ? t(WAITING_TEXT[waitingFor] ?? 'sim.running')
                  : t('sim.running')
                : outcome
                  ? t('sim.finishedWith', { outcome })
                  : t('sim.finished', { status })}
            </span>
            {currentNode && OPEN.has(status) && <span className="sim-node">{nodeName(currentNode)}</span>}
            <span className="sim-status-actions">
              {open ? (
                <button type="button" className="btn btn-small btn-ghost" onClick={stop} disabled={busy}>
                  {t('sim.stop')}
                </button>
              ) : null}
              <button type="button" className="btn btn-small" onClick={reset} disabled={busy} data-testid="sim-reset">
                {t('sim.restart')}
              </button>
            </span>
          </div>
          <div className="chat" data-testid="chat" aria-live="polite">
            {transcript.map((e, i) => (
              <div key={i} className={`bubble from-${e.from}`} data-from={e.from}>
                {e.from === 'agent' && <div className="bubble-who">{t('sim.agent')}</div>}
                <div className="bubble-text">{e.text}</div>
                <div className="bubble-time">{fmt.time(e.at)}</div>
              </div>
            ))}
            <div ref={endRef} />
          </div>
          {open && lastButtons && lastButtons.length > 0 && waitingFor === 'reply' && (
            <div className="quick-replies">
              {lastButtons.map((b) => (
                <button key={b.value} type="button" className="chip" onClick={() => send(b.value)} disabled={busy}>
                  {b.label}
                </button>
              ))}
            </div>
          )}
          {open && (
            <form
              className="chat-input"
              onSubmit={(e) => {
                e.preventDefault();
                void send(text);
              }}
            >
              <input
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder={t('sim.typeAsCustomer')}
                aria-label={t('sim.typeAsCustomer')}
                data-testid="sim-message"
                disabled={busy}
              />
              <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()} data-testid="sim-send">
                {t('sim.send')}
              </button>
            </form>
          )}
          {open && (escalation || waitingFor === 'agent') && (
            <section className="sim-panel sim-agent" data-testid="sim-agent">
              <h4>{t('sim.agentPanel')}</h4>
              {escalation && (
                <p className="small muted">
                  {t('sim.escalationInfo', { queue: escalation.queue, tier: escalation.tier + 1 })}
                  {escalation.agent ? ` · ${escalation.agent}` : ''}
                </p>
              )}
              {!agentActive ? (
                <div className="inline-input">
                  <input value={agentName} onChange={(e) => setAgentName(e.target.value)} aria-label={t('sim.agentName')} placeholder={t('sim.agentName')} />
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    onClick={() => fire('agent.accepted', { agent: agentName })}
                    disabled={busy}
                    data-testid="sim-agent-accept"
                  >
                    {t('sim.acceptAsAgent')}
                  </button>
                </div>
              ) : (
                <>
                  <form
                    className="chat-input"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void send(agentText, 'agent');
                    }}
                  >
                    <input
                      value={agentText}
                      onChange={(e) => setAgentText(e.target.value)}
                      placeholder={t('sim.typeAsAgent')}
                      aria-label={t('sim.typeAsAgent')}
                      data-testid="sim-agent-message"
                      disabled={busy}
                    />
                    <button type="submit" className="btn" disabled={busy || !agentText.trim()}>
                      {t('sim.send')}
                    </button>
                  </form>
                  <div className="button-row">
                    <button
                      type="button"
                      className="btn btn-small btn-primary"
                      onClick={() => fire('agent.resolved', { agent: agentName })}
                      disabled={busy}
                      data-testid="sim-agent-resolve"
                    >
                      {t('sim.resolve')}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => fire('agent.returned', { agent: agentName })} disabled={busy}>
                      {t('sim.returnToBot')}
                    </button>
                  </div>
                </>
              )}
            </section>
          )}
          {open && (
            <details className="sim-panel">
              <summary>{t('sim.businessEvent')}</summary>
              <form onSubmit={fireCustom} className="form-stack">
                <input
                  list="sim-events"
                  value={eventType}
                  onChange={(e) => setEventType(e.target.value)}
                  placeholder="purchase.completed"
                  aria-label={t('sim.eventType')}
                  className="mono"
                />
                <datalist id="sim-events">
                  {EVENT_SUGGESTIONS.map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
                <textarea
                  className="mono"
                  rows={2}
                  value={eventData}
                  onChange={(e) => setEventData(e.target.value)}
                  aria-label={t('sim.eventData')}
                  spellCheck={false}
                />
                <button type="submit" className="btn btn-small" disabled={busy || !eventType.trim()}>
                  {t('sim.fireEvent')}
                </button>
              </form>
            </details>
          )}
          <details className="sim-panel" open={showVars} onToggle={(e) => setShowVars((e.target as HTMLDetailsElement).open)}>
            <summary>{t('sim.variables')}</summary>
            <pre className="vars-view">{JSON.stringify(vars, null, 2)}</pre>
          </details>
        </>
      )}
      {error ? (
        <div className="banner banner-error" role="alert">
          {errorText(error)}
        </div>
      ) : null}
    </div>
  );
}
