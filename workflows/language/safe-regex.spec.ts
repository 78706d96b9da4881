import { checkRegex, hasNestedQuantifier, safeRegExp } from './safe-regex';

describe('regex guards', () => {
  it.each(['^\\d{9}$', '^[A-Z]{2}-\\d+$', '(foo|bar)+', '^(\\+34)?\\d{9}$', '[(a+)+]', '\\(a+\\)+'])('accepts %j', (p) => {
    expect(checkRegex(p)).toBeNull();
  });

  it.each(['(a+)+', '(\\w*)*$', '((ab)*c)+', '(a{2,})*', '(?:x+y?)+'])('rejects nested quantifiers in %j', (p) => {
    expect(hasNestedQuantifier(p)).toBe(true);
    expect(checkRegex(p)).toMatch(/nests repetitions/);
  });

  it('rejects empty, oversized, invalid patterns and stateful flags', () => {
    expect(checkRegex('')).toMatch(/empty/);
    expect(checkRegex('a'.repeat(201))).toMatch(/longer/);
    expect(checkRegex('(unclosed')).toBeTruthy();
    expect(checkRegex('a', 'g')).toMatch(/flags/);
  });

  it('safeRegExp compiles checked patterns and throws otherwise', () => {
    expect(safeRegExp('^a', 'i').test('Abc')).toBe(true);
    expect(() => safeRegExp('(a+)+')).toThrow();
  });
});
