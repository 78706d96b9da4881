import type { Locale } from '../../../workflows/language';

export const LOCALES: readonly Locale[] = ['es', 'en'];

/**
 * The language of validation messages: `?locale=` wins, then the first supported language of
 * `Accept-Language` (by q value), then Spanish, the product's first language.
 */
export function resolveLocale(query: string | undefined, acceptLanguage: string | undefined): Locale {
  if (query === 'es' || query === 'en') return query;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, index };
      })
      .filter((e) => e.lang && Number.isFinite(e.q) && e.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    const match = ranked.find((e) => (LOCALES as readonly string[]).includes(e.lang));
    if (match) return match.lang as Locale;
  }
  return 'es';
}
