/**
 * Durations as written by CX leads: `90s`, `15m`, `2h`, `3d`, `1w`, `500ms`, `1h30m`, `1h 30m`,
 * `1.5h`, or ISO 8601 (`PT2H`, `P1DT12H`, `P2W`). Years and months are rejected: their length varies.
 */

export const MIN_DURATION_MS = 100;
export const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

export type DurationErrorReason = 'empty' | 'syntax' | 'unsupported_unit' | 'too_short' | 'too_long';

export class DurationError extends Error {
  override readonly name = 'DurationError';
  constructor(
    readonly reason: DurationErrorReason,
    readonly input: unknown,
    message: string,
  ) {
    super(message);
  }
}

const UNIT_MS: Record<string, number> = {
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];
const SHORT_PART = /(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)/gy;
const ISO =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function parseIso(text: string, input: unknown): number {
  const m = ISO.exec(text.toUpperCase());
  if (!m || text.toUpperCase() === 'P' || /T$/i.test(text)) {
    throw new DurationError('syntax', input, `Invalid ISO 8601 duration: "${text}"`);
  }
  if (m[1] !== undefined || m[2] !== undefined) {
    throw new DurationError('unsupported_unit', input, `Years and months are not supported in durations: "${text}"`);
  }
  const [w, d, h, min, s] = [m[3], m[4], m[5], m[6], m[7]].map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + min * UNIT_MS.m + s * UNIT_MS.s);
}

function parseShort(text: string, input: unknown): number {
  SHORT_PART.lastIndex = 0;
  let total = 0;
  let lastRank = -1;
  let pos = 0;
  while (pos < text.length) {
    SHORT_PART.lastIndex = pos;
    const m = SHORT_PART.exec(text);
    if (!m) throw new DurationError('syntax', input, `Invalid duration: "${text}" (examples: 90s, 15m, 2h, 1h30m, PT2H)`);
    const rank = UNIT_ORDER.indexOf(m[2]);
    if (rank <= lastRank) {
      throw new DurationError('syntax', input, `Invalid duration: "${text}" (units must go from largest to smallest, once each)`);
    }
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = SHORT_PART.lastIndex;
    while (text[pos] === ' ') pos++;
  }
  return Math.round(total);
}

/** Parses a duration to milliseconds. Throws `DurationError` (never checks the range: see `durationRangeError`). */
export function parseDuration(value: string): number {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DurationError('empty', value, 'A duration is required');
  }
  const text = value.trim();
  return /^p/i.test(text) ? parseIso(text, value) : parseShort(text, value);
}

/** Parses and checks the accepted range (100 ms .. 365 days). Throws `DurationError`. */
export function parseBoundedDuration(value: string): number {
  const ms = parseDuration(value);
  if (ms < MIN_DURATION_MS) throw new DurationError('too_short', value, `Duration "${value}" is shorter than 100ms`);
  if (ms > MAX_DURATION_MS) throw new DurationError('too_long', value, `Duration "${value}" is longer than 365 days`);
  return ms;
}

/** Returns the problem with a duration, or null when it parses and is within range. */
export function checkDuration(value: string): DurationError | null {
  try {
    parseBoundedDuration(value);
    return null;
  } catch (err) {
    if (err instanceof DurationError) return err;
    throw err;
  }
}
