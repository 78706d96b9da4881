import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { en } from './en';
import { es } from './es';
import { I18nProvider, LOCALE_STORAGE_KEY, translate, useLocale, useT } from './index';

function Probe() {
  const t = useT();
  const [locale, setLocale] = useLocale();
  return (
    <div>
      <span data-testid="text">{t('flows.title')}</span>
      <button onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}>switch</button>
    </div>
  );
}

describe('i18n', () => {
  beforeEach(() => localStorage.clear());

  it('has the same keys in Spanish and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
    for (const [k, v] of Object.entries(en)) expect([k, v.trim().length > 0]).toEqual([k, true]);
  });

  it('speaks Spanish by default and remembers the switch to English', async () => {
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('text')).toHaveTextContent('Flujos');
    expect(document.documentElement.lang).toBe('es');
    await userEvent.click(screen.getByText('switch'));
    expect(screen.getByTestId('text')).toHaveTextContent('Flows');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('starts in the remembered language', () => {
    localStorage.setItem(LOCALE_STORAGE_KEY, 'en');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('text')).toHaveTextContent('Flows');
    act(() => undefined);
  });

  it('fills placeholders', () => {
    expect(translate('es', 'editor.published', { version: 3 })).toBe('Publicada la versión 3. Las nuevas ejecuciones la usarán.');
    expect(translate('en', 'problems.errors', { count: 2 })).toBe('2 errors');
  });
});
