/**
 * JSON Logic rules: evaluation over a flow scope, static syntax checks and variable extraction.
 * See rule-operations.ts for the deterministic helpers (days_since, contains, matches, ...).
 */
import jsonLogic from 'json-logic-js';
import { CUSTOM_OPERATIONS, registerRuleOperations, withRuleBudget } from './rule-operations';
import { explainRegex } from './safe-regex';
import { isPlainObject } from './text';
import type { FlowScope } from './types';
import { WorkBudgetExceeded } from './work-budget';

type RulesLogic = Parameters<typeof jsonLogic.apply>[0];

/** A JSON Logic expression: an operation object (`{"op": [args]}`) or a literal. */
export type JsonLogicRule = Record<string, unknown> | string | number | boolean | null | unknown[];

export type RuleProblemKind = 'not_operation' | 'unknown_operator' | 'forbidden_operator' | 'arity' | 'invalid_regex' | 'too_deep' | 'too_much_work';

export interface RuleProblem {
  kind: RuleProblemKind;
  /** Where in the rule, as dotted keys and indexes (e.g. `and.1.<`); empty for the root. */
  path: string;
  operator?: string;
  /** For `arity`: accepted argument counts (max may be Infinity) and the count found. */
  min?: number;
  max?: number;
  received?: number;
  /** English detail for logs; the validator builds bilingual messages from `kind`. */
  detail: string;
  /** The detail in Spanish, where it is more than a fixed sentence (regex syntax errors). */
  detailEs?: string;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    message: string,
    readonly problems: RuleProblem[] = [],
  ) {
    super(message);
  }
}

const INF = Number.POSITIVE_INFINITY;

/** [min, max] argument counts per operator. */
const ARITY: Record<string, [number, number]> = {
  var: [0, 2],
  missing: [0, INF],
  missing_some: [2, 2],
  if: [2, INF],
  '?:': [2, INF],
  '==': [2, 2],
  '===': [2, 2],
  '!=': [2, 2],
  '!==': [2, 2],
  '!': [1, 1],
  '!!': [1, 1],
  or: [1, INF],
  and: [1, INF],
  '>': [2, 2],
  '>=': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  max: [1, INF],
  min: [1, INF],
  '+': [1, INF],
  '*': [1, INF],
  '-': [1, 2],
  '/': [2, 2],
  '%': [2, 2],
  map: [2, 2],
  filter: [2, 2],
  reduce: [2, 3],
  all: [2, 2],
  none: [2, 2],
  some: [2, 2],
  merge: [0, INF],
  in: [2, 2],
  cat: [0, INF],
  substr: [2, 3],
  days_since: [1, 2],
  hours_since: [1, 2],
  in_list: [2, 2],
  contains: [2, 2],
  starts_with: [2, 2],
  lower: [1, 1],
  length: [1, 1],
  matches: [2, 3],
};

/** Operators that exist in json-logic-js but are refused: `log` writes to the console. */
const FORBIDDEN = new Set(['log']);
/** Operators whose second argument runs against each item, not against the flow scope. */
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

export const RULE_OPERATORS: readonly string[] = Object.keys(ARITY);
const MAX_DEPTH = 64;

function argsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function checkNode(node: unknown, path: string, depth: number, out: RuleProblem[]): void {
  if (depth > MAX_DEPTH) {
    out.push({ kind: 'too_deep', path, detail: `rule nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkNode(item, join(path, i), depth + 1, out));
    return;
  }
  if (!isPlainObject(node)) return; // literal
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    out.push({
      kind: 'not_operation',
      path,
      detail: `an operation must have exactly one key (found ${keys.length}: ${keys.join(', ') || 'none'})`,
    });
    return;
  }
  const op = keys[0];
  const opPath = join(path, op);
  if (FORBIDDEN.has(op)) {
    out.push({ kind: 'forbidden_operator', path: opPath, operator: op, detail: `operator "${op}" is not allowed` });
    return;
  }
  const arity = ARITY[op];
  if (!arity) {
    out.push({ kind: 'unknown_operator', path: opPath, operator: op, detail: `unknown operator "${op}"` });
    return;
  }
  const args = argsOf(node[op]);
  if (args.length < arity[0] || args.length > arity[1]) {
    const expected = arity[0] === arity[1] ? `${arity[0]}` : arity[1] === INF ? `at least ${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    out.push({
      kind: 'arity',
      path: opPath,
      operator: op,
      min: arity[0],
      max: arity[1],
      received: args.length,
      detail: `"${op}" takes ${expected} argument(s), got ${args.length}`,
    });
  }
  if (op === 'matches' && typeof args[1] === 'string') {
    const problem = explainRegex(args[1], typeof args[2] === 'string' ? args[2] : '');
    if (problem) out.push({ kind: 'invalid_regex', path: join(opPath, 1), operator: op, detail: problem.en, detailEs: problem.es });
  }
  args.forEach((arg, i) => checkNode(arg, Array.isArray(node[op]) ? join(opPath, i) : opPath, depth + 1, out));
}

/** Syntax problems of a rule: unknown or forbidden operators, wrong argument counts, bad regexes. */
export function checkRule(rule: unknown): RuleProblem[] {
  const out: RuleProblem[] = [];
  checkNode(rule, '', 0, out);
  return out;
}

function collectVars(node: unknown, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    node.forEach((item) => collectVars(item, out, depth + 1));
    return;
  }
  if (!isPlainObject(node)) return;
  const keys = Object.keys(node);
  if (keys.length !== 1) return;
  const op = keys[0];
  const args = argsOf(node[op]);
  if (op === 'var') {
    const target = args[0];
    if (typeof target === 'string' && target !== '') out.add(target);
    else if (typeof target === 'number') out.add(String(target));
    else collectVars(target, out, depth + 1);
    args.slice(1).forEach((a) => collectVars(a, out, depth + 1));
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    const names = op === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : argsOf(args[1]);
    for (const name of names) if (typeof name === 'string' && name !== '') out.add(name);
    if (op === 'missing_some') collectVars(args[0], out, depth + 1);
    return;
  }
  if (SCOPED.has(op)) {
    // Only the list expression (and reduce's initial value) read the flow scope.
    collectVars(args[0], out, depth + 1);
    if (op === 'reduce') collectVars(args[2], out, depth + 1);
    return;
  }
  args.forEach((a) => collectVars(a, out, depth + 1));
}

/** Variable paths the rule reads from the flow scope, e.g. `["vars.attempts", "customer.email"]`. */
export function ruleVariables(rule: unknown): string[] {
  const out = new Set<string>();
  collectVars(rule, out, 0);
  return [...out];
}

const checkedRules = new WeakSet<object>();

/** Evaluates a rule over a scope. Throws `RuleError` for invalid rules or evaluation failures. */
export function evaluateRule(rule: unknown, scope: FlowScope | Record<string, unknown> = {}): unknown {
  registerRuleOperations();
  const cacheable = typeof rule === 'object' && rule !== null;
  if (!cacheable || !checkedRules.has(rule as object)) {
    const problems = checkRule(rule);
    if (problems.length) throw new RuleError(`Invalid rule: ${problems.map((p) => p.detail).join('; ')}`, problems);
    if (cacheable) checkedRules.add(rule as object);
  }
  try {
    return withRuleBudget(() => jsonLogic.apply(rule as RulesLogic, scope));
  } catch (err) {
    if (err instanceof WorkBudgetExceeded) {
      throw new RuleError(err.message, [{ kind: 'too_much_work', path: '', detail: err.message }]);
    }
    throw new RuleError(`Rule evaluation failed: ${(err as Error).message}`);
  }
}

/** Evaluates a rule and applies JSON Logic truthiness (empty lists are false). */
export function evaluateCondition(rule: unknown, scope: FlowScope | Record<string, unknown> = {}): boolean {
  return jsonLogic.truthy(evaluateRule(rule, scope));
}

export const CUSTOM_RULE_OPERATORS: readonly string[] = Object.keys(CUSTOM_OPERATIONS);
