/**
 * Bounded counters, the second way (besides a waiting node) for a loop to be safe.
 *
 * A loop is bounded by counter X when it
 *  1. leaves a `condition` (or a `switch` case) through its "still within bound" branch, where the
 *     rule compares `{"var": "vars.X"}` with a number: `<`, `<=`, `>`, `>=` (either operand order,
 *     optionally inside a top-level `and` or under `!`);
 *  2. passes through a `setVariables` that steps X towards the bound with a number literal:
 *     `{"+": [{"var": "vars.X"}, 1]}` counts up, `{"-": [{"var": "vars.X"}, 1]}` counts down;
 *  3. and no other node in the loop writes X (a reset inside the loop would make it endless).
 *
 * For a counter going up, `X < N` bounds the `true` branch and `X >= N` bounds the `false` branch;
 * for a counter going down it is the other way round. Between-comparisons (`{"<": [a, X, b]}`) bound
 * the `true` branch in both directions.
 */
import { isPlainObject } from './text';

export type Direction = 'up' | 'down';

/** A branch that can only be taken a bounded number of times while X moves in `direction`. */
export interface CounterGuard {
  variable: string;
  direction: Direction;
  branch: string;
}

export interface CounterStep {
  variable: string;
  direction: Direction;
}

function counterVar(operand: unknown): string | null {
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1 || !('var' in operand)) return null;
  const arg = Array.isArray(operand.var) ? operand.var[0] : operand.var;
  if (typeof arg !== 'string') return null;
  const m = /^vars\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(arg);
  return m ? m[1] : null;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** While the rule is TRUE, for which counters/directions is that state temporary? */
function boundedWhenTrue(rule: unknown, depth = 0): CounterStep[] {
  if (!isPlainObject(rule) || Object.keys(rule).length !== 1 || depth > 8) return [];
  const [op] = Object.keys(rule);
  const args = Array.isArray(rule[op]) ? (rule[op] as unknown[]) : [rule[op]];
  if (op === 'and') return args.flatMap((a) => boundedWhenTrue(a, depth + 1));
  if (op === '!' && args.length === 1) return boundedWhenFalse(args[0], depth + 1);
  if (!['<', '<=', '>', '>='].includes(op)) return [];
  if ((op === '<' || op === '<=') && args.length === 3) {
    const x = counterVar(args[1]);
    return x && isNumber(args[0]) && isNumber(args[2])
      ? [
          { variable: x, direction: 'up' },
          { variable: x, direction: 'down' },
        ]
      : [];
  }
  if (args.length !== 2) return [];
  const less = op === '<' || op === '<=';
  const left = counterVar(args[0]);
  const right = counterVar(args[1]);
  // "X small" holds while X < N (or N > X): temporary for a counter going up.
  if (left && isNumber(args[1])) return [{ variable: left, direction: less ? 'up' : 'down' }];
  if (right && isNumber(args[0])) return [{ variable: right, direction: less ? 'down' : 'up' }];
  return [];
}

/** While the rule is FALSE, for which counters/directions is that state temporary? */
function boundedWhenFalse(rule: unknown, depth = 0): CounterStep[] {
  if (!isPlainObject(rule) || Object.keys(rule).length !== 1 || depth > 8) return [];
  const [op] = Object.keys(rule);
  const args = Array.isArray(rule[op]) ? (rule[op] as unknown[]) : [rule[op]];
  if (op === 'or') return args.flatMap((a) => boundedWhenFalse(a, depth + 1));
  if (op === '!' && args.length === 1) return boundedWhenTrue(args[0], depth + 1);
  if (!['<', '<=', '>', '>='].includes(op) || args.length !== 2) return [];
  const flip = (steps: CounterStep[]): CounterStep[] => steps.map((s) => ({ variable: s.variable, direction: s.direction === 'up' ? 'down' : 'up' }));
  return flip(boundedWhenTrue(rule, depth + 1));
}

/** Guards of a `condition` or `switch` node (raw, possibly invalid data). */
export function counterGuards(type: string, data: Record<string, unknown>): CounterGuard[] {
  if (type === 'condition') {
    return [...boundedWhenTrue(data.rule).map((s) => ({ ...s, branch: 'true' })), ...boundedWhenFalse(data.rule).map((s) => ({ ...s, branch: 'false' }))];
  }
  if (type === 'switch' && Array.isArray(data.cases)) {
    return data.cases.flatMap((c) =>
      isPlainObject(c) && typeof c.id === 'string' ? boundedWhenTrue(c.rule).map((s) => ({ ...s, branch: c.id as string })) : [],
    );
  }
  return [];
}

function stepOf(variable: string, expression: unknown): Direction | null {
  if (!isPlainObject(expression) || Object.keys(expression).length !== 1) return null;
  const [op] = Object.keys(expression);
  const args = expression[op];
  if (!Array.isArray(args) || args.length !== 2) return null;
  let amount: number | null = null;
  if (op === '+') {
    if (counterVar(args[0]) === variable && isNumber(args[1])) amount = args[1];
    else if (counterVar(args[1]) === variable && isNumber(args[0])) amount = args[0];
  } else if (op === '-' && counterVar(args[0]) === variable && isNumber(args[1])) {
    amount = -args[1];
  }
  if (amount === null || amount === 0) return null;
  return amount > 0 ? 'up' : 'down';
}

/**
 * For a `setVariables` node: the direction it steps `variable`, or null when it does not write it
 * or writes it in any other way (which disqualifies the counter).
 */
export function counterSteps(type: string, data: Record<string, unknown>): Map<string, Direction | null> {
  const steps = new Map<string, Direction | null>();
  if (type !== 'setVariables' || !Array.isArray(data.assignments)) return steps;
  for (const a of data.assignments) {
    if (!isPlainObject(a) || typeof a.variable !== 'string') continue;
    const direction = a.value === undefined && a.template === undefined ? stepOf(a.variable, a.rule) : null;
    const previous = steps.get(a.variable);
    steps.set(a.variable, previous === undefined || previous === direction ? direction : null);
  }
  return steps;
}
