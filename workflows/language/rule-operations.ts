/**
 * Deterministic helpers added to JSON Logic. None of them reads the clock: date helpers take "now"
 * from their second argument or from the scope's `run.now`.
 *
 * json-logic-js 2.x only exposes a module-level singleton (no private instances), so the helpers are
 * registered once on it; their names do not collide with built-in operators.
 */
import jsonLogic from 'json-logic-js';
import { parseIsoDate } from './iso-date';
import { MAX_REGEX_SUBJECT_LENGTH, safeRegExp } from './safe-regex';
import { foldText } from './text';
import { WorkBudget } from './work-budget';

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
export const CUSTOM_OPERATIONS: Record<string, (this: unknown, ...args: unknown[]) => unknown> = {
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
  /** `text` matches the regular expression `pattern` (RE2: linear time; text bounded to 5,000 chars). */
  matches(text: unknown, pattern: unknown, flags?: unknown) {
    if (text === null || text === undefined || typeof pattern !== 'string') return false;
    const re = safeRegExp(pattern, typeof flags === 'string' ? flags : '');
    const subject = String(text).slice(0, MAX_REGEX_SUBJECT_LENGTH);
    // RE2 spends up to ~0.5 µs per character on alternations, about one apply step.
    activeBudget?.charge(subject.length);
    return re.test(subject);
  },
};

/**
 * Work one rule evaluation may do, in units of about one JSON Logic step (0.4-1.3 µs on the 2-core
 * development machine): 100,000 is ~50-130 ms at worst, while a `reduce` over 10,000 items takes
 * 50,000. Counted, not timed, so a rule that runs out does so identically on replay, on any machine.
 */
export const RULE_WORK_LIMIT = 100_000;

/** The budget of the evaluation in progress (evaluation is synchronous; nested ones save and restore). */
let activeBudget: WorkBudget | undefined;

/** Runs `evaluate` with a fresh work budget; throws `WorkBudgetExceeded` when the rule does too much. */
export function withRuleBudget<T>(evaluate: () => T, limit = RULE_WORK_LIMIT): T {
  const previous = activeBudget;
  activeBudget = new WorkBudget(limit, 'rule');
  try {
    return evaluate();
  } finally {
    activeBudget = previous;
  }
}

/** A step costs one unit, plus the size of what it produced: a long text a unit per 32 characters, a list one per item. */
function stepCost(result: unknown): number {
  if (typeof result === 'string') return 1 + (result.length >> 5);
  if (Array.isArray(result)) return 1 + result.length;
  return 1;
}

let registered = false;

/**
 * Registers the helpers on json-logic-js once (idempotent), and meters its `apply`: the library
 * recurses through `jsonLogic.apply` on its own module object (the default import, not a
 * namespace copy), so every step of `map`, `filter`, `reduce`... is charged to the active budget.
 */
export function registerRuleOperations(): void {
  if (registered) return;
  for (const [name, fn] of Object.entries(CUSTOM_OPERATIONS)) jsonLogic.add_operation(name, fn);
  const apply = jsonLogic.apply;
  jsonLogic.apply = function meteredApply(this: unknown, logic, data) {
    const result = apply.call(this, logic, data);
    activeBudget?.charge(stepCost(result));
    return result;
  } as typeof jsonLogic.apply;
  registered = true;
}

registerRuleOperations();
