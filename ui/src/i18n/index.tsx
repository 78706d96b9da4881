/**
 * A tiny i18n: two dictionaries (Spanish first, English second), a provider that remembers the
 * choice in localStorage, and `useT()` returning `t(key, params?)`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { es, type MessageKey } from './es';

export type Locale = 'es' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { es, en };
export const LOCALE_STORAGE_KEY = 'cauce.locale';

export function storedLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY) === 'en' ? 'en' : 'es';
  } catch {
    return 'es';
  }
}

/** `{name}` placeholders replaced by params. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = DICTIONARIES[locale][key] ?? es[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue>({ locale: 'es', setLocale: () => undefined, t: (key, params) => translate('es', key, params) });

export function I18nProvider({ children, initialLocale }: { children: ReactNode; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale ?? storedLocale());
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18nValue>(() => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}

export function useLocale(): [Locale, (locale: Locale) => void] {
  const { locale, setLocale } = useContext(I18nContext);
  return [locale, setLocale];
}

/** Dates and numbers in the UI's language. */
export function useFormat() {
  const [locale] = useLocale();
  return useMemo(() => {
    const tag = locale === 'es' ? 'es-ES' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
    const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
    const usd = new Intl.NumberFormat(tag, { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
    const parse = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));
    return {
      dateTime: (v: string | number | Date) => dateTime.format(parse(v)),
      time: (v: string | number | Date) => time.format(parse(v)),
      number: (v: number) => number.format(v),
      percent: (v: number) => percent.format(v),
      usd: (v: number) => usd.format(v),
      /** Milliseconds, readable: «850 ms», «2,1 s», «5 min». */
      ms: (v: number) =>
        v < 1000
          ? `${Math.round(v)} ms`
          : v < 60_000
            ? `${number.format(v / 1000)} s`
            : v < 7_200_000
              ? `${Math.round(v / 60_000)} min`
              : `${number.format(v / 3_600_000)} h`,
    };
  }, [locale]);
}
