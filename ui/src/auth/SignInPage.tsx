import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { LanguageSwitch } from '../components/Layout';
import { useT } from '../i18n';
import { useAuth } from './AuthContext';

export function SignInPage() {
  const t = useT();
  const { signIn } = useAuth();
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(key, remember);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401 ? t('signIn.invalidKey') : err instanceof TypeError ? t('error.network') : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <div className="signin-lang">
        <LanguageSwitch />
      </div>
      <form className="signin-card" onSubmit={submit}>
        <div className="signin-brand">
          <svg width="34" height="34" viewBox="0 0 24 24" aria-hidden="true">
            <path
              d="M3 6c4 0 4 4 8 4s4-4 8-4M3 12c4 0 4 4 8 4s4-4 8-4M3 18c4 0 4 4 8 4"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.2"
              strokeLinecap="round"
            />
          </svg>
          <h1>Cauce</h1>
        </div>
        <p className="muted">{t('signIn.subtitle')}</p>
        <label className="field">
          <span className="field-label">{t('signIn.key')}</span>
          <input
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="cauce_…"
            autoFocus
            data-testid="api-key"
          />
          <span className="field-hint">{t('signIn.keyHint')}</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <span>{t('signIn.remember')}</span>
        </label>
        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !key.trim()}>
          {busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
