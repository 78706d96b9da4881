/** The new key's secret, this once: a copy button and the warning that it will not come back. */
import { useRef, useState } from 'react';
import type { CreatedApiKey } from '../api/types';
import { useT } from '../i18n';

export function NewKeySecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      setCopy('failed');
      input.current?.select();
    }
  };
  return (
    <section className="card api-key-secret" aria-labelledby="new-key-title" data-testid="new-key-secret">
      <h2 id="new-key-title">{t('keys.created.title', { name: created.name })}</h2>
      <div className="banner banner-info" role="alert">
        {t('keys.created.warning')}
      </div>
      <div className="api-key-secret-row">
        <input
          ref={input}
          readOnly
          value={created.key}
          className="mono"
          aria-label={t('keys.secret')}
          onFocus={(e) => e.target.select()}
          data-testid="new-key-value"
        />
        <button type="button" className="btn btn-primary" onClick={doCopy}>
          {copy === 'copied' ? t('keys.copied') : t('keys.copy')}
        </button>
      </div>
      {copy === 'failed' && <div className="text-error">{t('keys.copyFailed')}</div>}
      <div className="api-key-form-actions">
        <button type="button" className="btn" onClick={onDone}>
          {t('keys.done')}
        </button>
      </div>
    </section>
  );
}
