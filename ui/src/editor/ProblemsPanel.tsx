/**
 * Every validation problem of the flow, errors first. The "Editor" tab is the instant client-side
 * check (the flow language's validateFlow); "Servidor" the API's answer at the last save or publish.
 * A click focuses the node (or edge) concerned.
 */
import { memo, useEffect, useState } from 'react';
import type { FlowProblem } from '../../../workflows/language';
import { useT } from '../i18n';

export interface ServerCheck {
  at: number;
  valid: boolean;
  problems: FlowProblem[];
  /** What produced it: a save (validate) or a refused publish. */
  source: 'validate' | 'publish';
}

function sortProblems(list: FlowProblem[]): FlowProblem[] {
  return [...list].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

function ProblemList({ problems, nodeName, onSelect }: { problems: FlowProblem[]; nodeName: (id: string) => string; onSelect: (p: FlowProblem) => void }) {
  const t = useT();
  return (
    <ul className="problem-list">
      {sortProblems(problems).map((p, i) => {
        const target = p.nodeId ?? p.nodeIds?.[0];
        return (
          <li key={`${p.code}-${p.nodeId ?? ''}-${p.edgeId ?? ''}-${p.field ?? ''}-${i}`}>
            <button type="button" className={`problem ${p.severity}`} onClick={() => onSelect(p)} disabled={!target && !p.edgeId} data-testid="problem">
              <span className={`problem-icon ${p.severity}`} aria-label={t(p.severity === 'error' ? 'problems.error' : 'problems.warning')}>
                {p.severity === 'error' ? '!' : '?'}
              </span>
              <span className="problem-message">{p.message}</span>
              {target && <span className="problem-node">{nodeName(target)}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export const ProblemsPanel = memo(function ProblemsPanel({
  problems,
  server,
  nodeName,
  onSelect,
  validating,
}: {
  problems: FlowProblem[] | null;
  server: ServerCheck | null;
  nodeName: (id: string) => string;
  onSelect: (p: FlowProblem) => void;
  validating: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(true);
  const [tab, setTab] = useState<'client' | 'server'>('client');
  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (problems?.length ?? 0) - errors;
  // A new answer from the server with problems (a refused publish) is shown at once.
  useEffect(() => {
    if (server && server.problems.some((p) => p.severity === 'error')) {
      setTab('server');
      setOpen(true);
    }
  }, [server]);
  const shownTab = server ? tab : 'client';
  return (
    <section className={`problems-panel${open ? ' open' : ''}`} aria-label={t('problems.title')} data-testid="problems-panel">
      <header className="problems-header">
        <button type="button" className="problems-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
          <span className="caret">{open ? '▾' : '▸'}</span>
          <strong>{t('problems.title')}</strong>
          {problems === null ? (
            <span className="muted small">{t('problems.checking')}</span>
          ) : (
            <>
              <span className={`count-badge ${errors ? 'error' : 'ok'}`} data-testid="error-count">
                {t('problems.errors', { count: errors })}
              </span>
              <span className={`count-badge ${warnings ? 'warning' : 'ok'}`}>{t('problems.warnings', { count: warnings })}</span>
              {validating && <span className="muted small">{t('problems.checking')}</span>}
            </>
          )}
        </button>
        {server && (
          <div className="segmented segmented-small" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={shownTab === 'client'}
              className={shownTab === 'client' ? 'active' : undefined}
              onClick={() => setTab('client')}
            >
              {t('problems.tab.client')}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={shownTab === 'server'}
              className={shownTab === 'server' ? 'active' : undefined}
              onClick={() => setTab('server')}
              data-testid="server-tab"
            >
              {t('problems.tab.server')}
              <span className={`dot ${server.valid ? 'ok' : 'error'}`} />
            </button>
          </div>
        )}
      </header>
      {open && (
        <div className="problems-body">
          {shownTab === 'client' ? (
            problems && problems.length === 0 ? (
              <div className="problems-ok" data-testid="no-problems">
                {t('problems.none')}
              </div>
            ) : (
              <ProblemList problems={problems ?? []} nodeName={nodeName} onSelect={onSelect} />
            )
          ) : server ? (
            <>
              <div className={`server-verdict ${server.valid ? 'ok' : 'error'}`} data-testid="server-verdict">
                {server.valid ? t('problems.serverValid') : server.source === 'publish' ? t('problems.publishRefused') : t('problems.serverInvalid')}
              </div>
              {server.problems.length > 0 && <ProblemList problems={server.problems} nodeName={nodeName} onSelect={onSelect} />}
            </>
          ) : null}
        </div>
      )}
    </section>
  );
});
