import { resolveLocale } from './locale';

describe('resolveLocale', () => {
  it('prefers ?locale, then Accept-Language by q, then Spanish', () => {
    expect(resolveLocale('en', 'es')).toBe('en');
    expect(resolveLocale(undefined, 'en-US,en;q=0.9,es;q=0.8')).toBe('en');
    expect(resolveLocale(undefined, 'fr-FR, en;q=0.5, es;q=0.7')).toBe('es');
    expect(resolveLocale(undefined, 'de, fr')).toBe('es');
    expect(resolveLocale(undefined, 'en;q=0, es')).toBe('es');
    expect(resolveLocale(undefined, undefined)).toBe('es');
    expect(resolveLocale('fr', 'en')).toBe('en');
  });
});
