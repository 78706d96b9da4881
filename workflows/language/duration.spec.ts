import { checkDuration, DurationError, MAX_DURATION_MS, MIN_DURATION_MS, parseBoundedDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['3d', 259_200_000],
    ['1w', 604_800_000],
    ['500ms', 500],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2 h', 7_200_000],
    ['PT2H', 7_200_000],
    ['pt90s', 90_000],
    ['PT1.5S', 1500],
    ['P1DT12H', 129_600_000],
    ['P2W', 1_209_600_000],
    ['  15m  ', 900_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['soon', 'syntax'],
    ['15', 'syntax'],
    ['15x', 'syntax'],
    ['30m1h', 'syntax'],
    ['1h1h', 'syntax'],
    ['-5m', 'syntax'],
    ['P', 'syntax'],
    ['PT', 'syntax'],
    ['P1DT', 'syntax'],
    ['P1M', 'unsupported_unit'],
    ['P1Y', 'unsupported_unit'],
  ])('rejects %j (%s)', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    try {
      parseDuration(text);
    } catch (err) {
      expect((err as DurationError).reason).toBe(reason);
    }
  });

  it('rejects non-strings', () => {
    expect(() => parseDuration(42 as unknown as string)).toThrow(DurationError);
  });
});

describe('duration range', () => {
  it('accepts the bounds', () => {
    expect(parseBoundedDuration('100ms')).toBe(MIN_DURATION_MS);
    expect(parseBoundedDuration('365d')).toBe(MAX_DURATION_MS);
    expect(checkDuration('52w')).toBeNull();
  });

  it('reports too short and too long', () => {
    expect(checkDuration('99ms')?.reason).toBe('too_short');
    expect(checkDuration('366d')?.reason).toBe('too_long');
    expect(checkDuration('P53W')?.reason).toBe('too_long');
    expect(checkDuration('nope')?.reason).toBe('syntax');
  });
});
