import { checkRegex, explainRegex, MAX_REGEX_SUBJECT_LENGTH, safeRegExp } from './safe-regex';

describe('regex guards (RE2)', () => {
  it.each(['^\\d{9}$', '^[A-Z]{2}-\\d+$', '(foo|bar)+', '^(\\+34)?\\d{9}$', '[(a+)+]', '\\(a+\\)+', '(a+)+', '(?i)reembolso'])('accepts %j', (p) => {
    expect(checkRegex(p)).toBeNull();
  });

  it('explains what RE2 cannot run, in Spanish and English', () => {
    expect(explainRegex('foo(?=bar)')).toEqual({ es: expect.stringMatching(/búsquedas hacia delante/), en: expect.stringMatching(/lookahead/) });
    expect(explainRegex('(a)\\1')).toEqual({ es: expect.stringMatching(/referencias/), en: expect.stringMatching(/backreferences/) });
    expect(explainRegex('(unclosed')?.es).toMatch(/paréntesis/);
  });

  it('rejects empty, oversized, invalid patterns and stateful flags', () => {
    expect(checkRegex('')).toMatch(/empty/);
    expect(checkRegex('a'.repeat(201))).toMatch(/longer/);
    expect(checkRegex('(unclosed')).toBeTruthy();
    expect(checkRegex('a', 'g')).toMatch(/flags/);
  });

  it('safeRegExp compiles checked patterns with the flags, and throws otherwise', () => {
    expect(safeRegExp('^a', 'i').test('Abc')).toBe(true);
    expect(safeRegExp('^canción$', 'i').test('CANCIÓN')).toBe(true);
    expect(safeRegExp('^a.b$', 's').test('a\nb')).toBe(true);
    expect(safeRegExp('^a.b$').test('a\nb')).toBe(false);
    expect(safeRegExp('^b$', 'm').test('a\nb\nc')).toBe(true);
    expect(() => safeRegExp('x(?=y)')).toThrow(/lookahead/);
  });

  // Patterns that backtrack for seconds (or forever) on a backtracking engine: on RE2 each run is
  // linear, so a whole customer-sized subject takes milliseconds. The bound is generous (CI is a
  // shared 2-core machine); the backtracking engine takes longer than the age of the universe.
  it.each(['(a|a)+$', '(a|aa)+$', 'a*a*a*a*a*a*b', '(a+)+$', '(\\w*)*x', '^(([a-z])+.)+[A-Z]([a-z])+$'])('matches %j in linear time', (p) => {
    const subject = 'a'.repeat(MAX_REGEX_SUBJECT_LENGTH - 1) + '!';
    const re = safeRegExp(p);
    const started = process.hrtime.bigint();
    expect(re.test(subject)).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('reads at most MAX_REGEX_SUBJECT_LENGTH characters of the text', () => {
    expect(safeRegExp('x').test('a'.repeat(MAX_REGEX_SUBJECT_LENGTH) + 'x')).toBe(false);
  });
});
