/**
 * «Probar frases» in the ai.classify inspector: the CX lead pastes customer phrases and sees, per
 * phrase, the intent the node would take (or fallback), its confidence and the runner-up, with the
 * engine a run would use (POST /api/ai/classify/try). The intents' warnings (too few examples, one
 * example in two intents, overlapping examples) show as soon as the section opens and follow the
 * lead's edits; the phrases tried last are tried again on each edit, so the table stays current.
 */
import { useMemo, useState } from 'react';
import { useApi } from '../../auth/AuthContext';
import { useAsync, useDebounced } from '../../hooks';
import { useFormat, useLocale, useT } from '../../i18n';
import type { ClassifiedPhrase, ClassifyTryResult } from '../../api/types';
import { intentsOf, MAX_PHRASES, phrasesOf } from './classify-try-body';

/** Edits come keystroke by keystroke: ask once the lead pauses. */
export const EDIT_DEBOUNCE_MS = 600;

export function ClassifyTryPanel({ data }: { data: Record<string, unknown> }) {
  const t = useT();
  const [locale] = useLocale();
  const format = useFormat();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState('');
  // The phrases of the last «Probar» click, and a count so a second click asks again.
  const [tried, setTried] = useState<{ phrases: string[]; clicks: number }>({ phrases: [], clicks: 0 });

  const current = useMemo(() => intentsOf(data), [data]);
  const settled = useDebounced(JSON.stringify(current), EDIT_DEBOUNCE_MS);
  const ready = open && current.intents.length > 0;
  const answer = useAsync<ClassifyTryResult | null>(
    () => (ready ? api.tryClassify({ ...JSON.parse(settled), phrases: tried.phrases }) : Promise.resolve(null)),
    [ready, settled, tried],
  );
  const result = ready ? answer.data : null;
  const { phrases, dropped } = phrasesOf(input);

  const submit = () => {
    if (phrases.length > 0) setTried((prev) => ({ phrases, clicks: prev.clicks + 1 }));
  };

  return (
    <section className="inspector-section classify-try" data-testid="classify-try">
      <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          <h4>{t('classifyTry.title')}</h4>
        </summary>
        <p className="field-hint">{t('classifyTry.hint')}</p>
        {current.intents.length === 0 && <p className="field-problem warning">{t('classifyTry.noIntents')}</p>}
        <label className="field">
          <span className="field-label">{t('classifyTry.phrases')}</span>
          <textarea
            rows={4}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter tries the phrases without reaching for the mouse; Enter alone starts a new phrase.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
            }}
            data-testid="classify-try-input"
          />
        </label>
        {dropped > 0 && <p className="field-hint">{t('classifyTry.tooMany', { max: MAX_PHRASES })}</p>}
        <div className="classify-try-actions">
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={submit}
            disabled={!ready || phrases.length === 0}
            data-testid="classify-try-submit"
          >
            {t('classifyTry.submit')}
          </button>
          {ready && answer.loading && <span className="muted small">{t('classifyTry.running')}</span>}
        </div>
        {ready && answer.error != null && <div className="banner banner-error">{(answer.error as Error).message}</div>}
        {result && result.warnings.length > 0 && (
          <ul className="classify-try-warnings" aria-label={t('classifyTry.warnings')} data-testid="classify-try-warnings">
            {result.warnings.map((w, i) => (
              <li key={i} className="field-problem warning">
                <WarningText text={w.message[locale]} />
              </li>
            ))}
          </ul>
        )}
        {result && result.results.length > 0 && (
          <>
            <p className="muted small">
              {t('classifyTry.summary', { engine: t(`classifyTry.engine.${result.engine}`), threshold: format.percent(result.threshold) })}
            </p>
            <ResultsTable rows={result.results} />
          </>
        )}
      </details>
    </section>
  );
}

/** The API writes intent ids between backticks, as the editor shows ids: in code type. */
function WarningText({ text }: { text: string }) {
  return <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

function ResultsTable({ rows }: { rows: ClassifiedPhrase[] }) {
  const t = useT();
  const format = useFormat();
  const llmError = rows.find((r) => r.llmError)?.llmError;
  return (
    <>
      {llmError && <p className="field-problem warning">{t('classifyTry.llmFailed', { error: llmError })}</p>}
      <table className="table classify-try-table" data-testid="classify-try-results">
        <caption className="muted small">{t('classifyTry.results')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('classifyTry.col.phrase')}</th>
            <th scope="col">{t('classifyTry.col.intent')}</th>
            <th scope="col">{t('classifyTry.col.confidence')}</th>
            <th scope="col">{t('classifyTry.col.runnerUp')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className={r.intent === null ? 'is-fallback' : undefined}>
              <td>{r.text}</td>
              <td>{r.intent === null ? <span className="muted">{t('classifyTry.fallback')}</span> : <span className="branch-chip">{r.intent}</span>}</td>
              <td>{format.percent(r.confidence)}</td>
              <td>{r.runnerUp ? `${r.runnerUp.intent} (${format.percent(r.runnerUp.score)})` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
