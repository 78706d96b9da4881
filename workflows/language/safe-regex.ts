/**
 * Author-supplied regular expressions (`ask` validation, the `matches` rule helper) run on RE2
 * (re2js, a pure-JS port that runs in the workflow sandbox): matching time is linear in the text,
 * whatever the pattern, so no customer message can make a pattern backtrack for seconds and stall
 * the workflow thread (`(a|a)+$`, `a*a*a*a*b`). The price is RE2's syntax: no lookaround and no
 * backreferences, which the validator reports in Spanish and English.
 */
import { RE2JS } from 're2js';
import type { LocalizedText } from './types';

export const MAX_PATTERN_LENGTH = 200;
/** Regex helpers only look at this many characters of the subject text. */
export const MAX_REGEX_SUBJECT_LENGTH = 5000;
const ALLOWED_FLAGS = /^[imsu]*$/;

/** What is wrong with the pattern in both languages, or null when RE2 compiles it. */
export function explainRegex(pattern: unknown, flags = ''): LocalizedText | null {
  if (typeof pattern !== 'string' || pattern === '') return { es: 'el patrón está vacío', en: 'the pattern is empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { es: `el patrón tiene más de ${MAX_PATTERN_LENGTH} caracteres`, en: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  if (!ALLOWED_FLAGS.test(flags)) {
    return { es: `opciones «${flags}» no admitidas (se admiten i, m, s, u)`, en: `unsupported flags "${flags}" (allowed: i, m, s, u)` };
  }
  try {
    RE2JS.compile(pattern, re2Flags(flags));
    return null;
  } catch (err) {
    return describeSyntaxError((err as Error).message);
  }
}

/** What is wrong with the pattern (English), or null when it compiles. */
export function checkRegex(pattern: unknown, flags = ''): string | null {
  return explainRegex(pattern, flags)?.en ?? null;
}

function re2Flags(flags: string): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  return out; // `u`: RE2 always matches by code point.
}

/** RE2's parser errors, in words a CX lead can act on (the raw text stays in the English one). */
function describeSyntaxError(raw: string): LocalizedText {
  const detail = raw.replace(/^error parsing regexp:\s*/, '');
  if (/\(\?[=!]|\(\?<[=!]/.test(detail)) {
    return { es: `no se admiten las búsquedas hacia delante o hacia atrás (${detail})`, en: `lookahead and lookbehind are not supported (${detail})` };
  }
  if (/invalid escape sequence: `\\[1-9]/.test(detail)) {
    return { es: `no se admiten las referencias a grupos como \\1 (${detail})`, en: `backreferences such as \\1 are not supported (${detail})` };
  }
  if (/missing closing \)|unexpected \)/.test(detail))
    return { es: `los paréntesis no están equilibrados (${detail})`, en: `the parentheses are unbalanced (${detail})` };
  if (/missing closing \]/.test(detail)) return { es: `falta cerrar un «[» (${detail})`, en: `a “[” is not closed (${detail})` };
  return { es: `no es válida (${detail})`, en: detail };
}

/** A compiled pattern: `test` never backtracks and reads at most MAX_REGEX_SUBJECT_LENGTH characters. */
export interface SafeRegex {
  test(text: string): boolean;
}

const compiled = new Map<string, SafeRegex>();
const MAX_COMPILED = 200;

/** Compiles a checked pattern on RE2 (bounded cache). Throws when `checkRegex` reports a problem. */
export function safeRegExp(pattern: string, flags = ''): SafeRegex {
  const key = `${flags}/${pattern}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const problem = checkRegex(pattern, flags);
  if (problem) throw new Error(`Invalid pattern: ${problem}`);
  const re = RE2JS.compile(pattern, re2Flags(flags));
  const safe: SafeRegex = { test: (text) => re.matcher(text.slice(0, MAX_REGEX_SUBJECT_LENGTH)).find() };
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, safe);
  return safe;
}
