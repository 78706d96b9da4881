/**
 * Deterministic helpers added to JSON Logic. None of them reads the clock: date helpers take "now"
 * from their second argument or from the scope's `run.now`.
 *
 * json-logic-js 2.x only exposes a module-level singleton (no private instances), so the helpers are
 * registered once on it; their names do not collide with built-in operators.
 */
import * as jsonLogic from 'json-logic-js';
import { parseIsoDate } from './iso-date';
import { MAX_REGEX_SUBJECT_LENGTH, safeRegExp } from './safe-regex';
import { foldText } from './text';

const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

function scopeNow(scope: unknown): unknown {
  const run = (scope as { run?: { now?: unknown } } | null | undefined)?.run;
  return run?.now;
}

function elapsed(scope: unknown, date: unknown, now: unknown, unit: number): number | null {
  const from = parseIsoDate(date);
  const to = parseIsoDate(now === undefined || now === null ? scopeNow(scope) : now);
  if (from === null || to === null) return null;
  return Math.floor((to - from) / unit);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return foldText(a) === foldText(b);
  return a === b;
}

/** Custom operators, by name. Each is called with the rule's data scope as `this`. */
export const CUSTOM_OPERATIONS: Record<string, (this: unknown, ...args: any[]) => unknown> = {
  /** Whole days from `date` to `now` (defaults to `run.now`); null when a date is invalid. */
  days_since(date: unknown, now?: unknown) {
    return elapsed(this, date, now, DAY_MS);
  },
  /** Whole hours from `date` to `now` (defaults to `run.now`); null when a date is invalid. */
  hours_since(date: unknown, now?: unknown) {
    return elapsed(this, date, now, HOUR_MS);
  },
  /** `x` is one of `list`; strings compare case- and accent-insensitively. */
  in_list(x: unknown, list: unknown) {
    return asList(list).some((item) => sameValue(x, item));
  },
  /** `text` contains `needle` (case- and accent-insensitive); for a list, some item equals `needle`. */
  contains(text: unknown, needle: unknown) {
    if (Array.isArray(text)) return text.some((item) => sameValue(item, needle));
    if (text === null || text === undefined || needle === null || needle === undefined) return false;
    return foldText(text).includes(foldText(needle));
  },
  /** `text` starts with `prefix` (case- and accent-insensitive). */
  starts_with(text: unknown, prefix: unknown) {
    if (text === null || text === undefined || prefix === null || prefix === undefined) return false;
    return foldText(text).startsWith(foldText(prefix));
  },
  lower(x: unknown) {
    return x === null || x === undefined ? '' : String(x).toLowerCase();
  },
  /** Length of a string or list, number of keys of an object, 0 otherwise. */
  length(x: unknown) {
    if (typeof x === 'string' || Array.isArray(x)) return x.length;
    if (typeof x === 'object' && x !== null) return Object.keys(x).length;
    return 0;
  },
  /** `text` matches the regular expression `pattern` (checked for safety; text bounded to 5,000 chars). */
  matches(text: unknown, pattern: unknown, flags?: unknown) {
    if (text === null || text === undefined || typeof pattern !== 'string') return false;
    const re = safeRegExp(pattern, typeof flags === 'string' ? flags : '');
    return re.test(String(text).slice(0, MAX_REGEX_SUBJECT_LENGTH));
  },
};

let registered = false;

/** Registers the helpers on json-logic-js once (idempotent). */
export function registerRuleOperations(): void {
  if (registered) return;
  for (const [name, fn] of Object.entries(CUSTOM_OPERATIONS)) jsonLogic.add_operation(name, fn);
  registered = true;
}

registerRuleOperations();
