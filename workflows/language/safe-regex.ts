/**
 * Guards for author-supplied regular expressions (`ask` validation, the `matches` rule helper).
 * The heuristic rejects nested quantifiers such as `(a+)+` or `(\w*)*`, the classic source of
 * catastrophic backtracking; inputs are also bounded in length by the callers.
 */

export const MAX_PATTERN_LENGTH = 200;
/** Regex helpers only look at this many characters of the subject text. */
export const MAX_REGEX_SUBJECT_LENGTH = 5000;
const ALLOWED_FLAGS = /^[imsu]*$/;

/** Returns what is wrong with the pattern, or null when it compiles and looks safe. */
export function checkRegex(pattern: unknown, flags = ''): string | null {
  if (typeof pattern !== 'string' || pattern === '') return 'the pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (!ALLOWED_FLAGS.test(flags)) return `unsupported flags "${flags}" (allowed: i, m, s, u)`;
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return (err as Error).message;
  }
  if (hasNestedQuantifier(pattern)) return 'the pattern nests repetitions, e.g. (a+)+, which can hang';
  return null;
}

function isQuantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === '*' || c === '+') return true;
  if (c === '{') return /^\{\d+(,\d*)?\}/.test(pattern.slice(i));
  return false;
}

/** True when a quantified group contains another quantifier (star height > 1). */
export function hasNestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = []; // per open group: does it contain a quantifier?
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const quantified = isQuantifierAt(pattern, i + 1);
      if (inner && quantified) return true;
      if (stack.length && (inner || quantified)) stack[stack.length - 1] = true;
    } else if (isQuantifierAt(pattern, i) && stack.length) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}

const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 200;

/** Compiles a checked pattern (bounded cache). Throws when `checkRegex` reports a problem. */
export function safeRegExp(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const problem = checkRegex(pattern, flags);
  if (problem) throw new Error(`Invalid pattern: ${problem}`);
  const re = new RegExp(pattern, flags);
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, re);
  return re;
}
