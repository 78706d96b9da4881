import { checkRule, evaluateCondition, evaluateRule, RuleError, ruleVariables } from './rules';

const scope = {
  input: { email: 'Ana@Example.com', tags: ['vip'] },
  vars: { attempts: 2, reply: 'Quiero CANCELAR mi suscripción' },
  customer: { name: 'José', lastPurchaseAt: '2024-03-01T10:00:00Z', tier: 'Oro' },
  last: { text: 'Hola, ¿qué tal?' },
  run: { now: '2024-05-01T10:00:00Z' },
  nodes: { classify: { output: { intent: 'billing', confidence: 0.8 } } },
};

describe('evaluateRule', () => {
  it('evaluates built-in JSON Logic over the flow scope', () => {
    expect(evaluateRule({ '<': [{ var: 'vars.attempts' }, 3] }, scope)).toBe(true);
    expect(evaluateRule({ '==': [{ var: 'nodes.classify.output.intent' }, 'billing'] }, scope)).toBe(true);
    expect(evaluateRule({ '+': [{ var: 'vars.attempts' }, 1] }, scope)).toBe(3);
    expect(evaluateRule({ var: 'missing.path' }, scope)).toBeNull();
  });

  it('days_since and hours_since read run.now, never the clock', () => {
    expect(evaluateRule({ days_since: [{ var: 'customer.lastPurchaseAt' }] }, scope)).toBe(61);
    expect(evaluateRule({ hours_since: ['2024-05-01T07:30:00Z'] }, scope)).toBe(2);
    expect(evaluateRule({ days_since: ['2024-04-30', '2024-05-10'] }, {})).toBe(10);
    // Without run.now (and no explicit now) there is no answer rather than a clock read.
    expect(evaluateRule({ days_since: ['2024-04-30'] }, {})).toBeNull();
    expect(evaluateRule({ days_since: ['not a date'] }, scope)).toBeNull();
    // Offsets are honoured; a missing offset means UTC.
    expect(evaluateRule({ hours_since: ['2024-05-01T10:00:00+02:00'] }, scope)).toBe(2);
    expect(evaluateRule({ hours_since: ['2024-05-01T08:00:00'] }, scope)).toBe(2);
    expect(evaluateRule({ days_since: ['2024-04-30'] }, { run: { now: Date.UTC(2024, 4, 1) } })).toBe(1);
  });

  it('in_list, contains and starts_with ignore case and accents', () => {
    expect(evaluateRule({ in_list: [{ var: 'customer.tier' }, ['oro', 'platino']] }, scope)).toBe(true);
    expect(evaluateRule({ in_list: [2, [1, 2]] }, scope)).toBe(true);
    expect(evaluateRule({ in_list: ['2', [1, 2]] }, scope)).toBe(false);
    expect(evaluateRule({ in_list: ['x', null] }, scope)).toBe(false);
    expect(evaluateRule({ contains: [{ var: 'vars.reply' }, 'cancelar mi suscripcion'] }, scope)).toBe(true);
    expect(evaluateRule({ contains: [{ var: 'input.tags' }, 'VIP'] }, scope)).toBe(true);
    expect(evaluateRule({ contains: [null, 'x'] }, scope)).toBe(false);
    expect(evaluateRule({ starts_with: [{ var: 'last.text' }, 'HOLA'] }, scope)).toBe(true);
    expect(evaluateRule({ starts_with: [{ var: 'last.text' }, 'que'] }, scope)).toBe(false);
  });

  it('lower, length and matches', () => {
    expect(evaluateRule({ lower: [{ var: 'input.email' }] }, scope)).toBe('ana@example.com');
    expect(evaluateRule({ lower: [null] }, scope)).toBe('');
    expect(evaluateRule({ length: [{ var: 'input.tags' }] }, scope)).toBe(1);
    expect(evaluateRule({ length: [{ var: 'customer.name' }] }, scope)).toBe(4);
    expect(evaluateRule({ length: [{ var: 'customer' }] }, scope)).toBe(3);
    expect(evaluateRule({ length: [7] }, scope)).toBe(0);
    expect(evaluateRule({ matches: [{ var: 'input.email' }, '^[^@]+@example\\.com$', 'i'] }, scope)).toBe(true);
    expect(evaluateRule({ matches: [{ var: 'input.email' }, '^[^@]+@example\\.com$'] }, scope)).toBe(false);
    expect(evaluateRule({ matches: [null, 'a'] }, scope)).toBe(false);
  });

  it('refuses regexes RE2 cannot run and oversized ones at run time, and runs backtracking-prone ones safely', () => {
    expect(() => evaluateRule({ matches: ['aaaa', { cat: ['(?=a', ')a'] }] }, scope)).toThrow(RuleError);
    expect(evaluateRule({ matches: ['a'.repeat(40) + '!', { cat: ['(a|a)', '+$'] }] }, scope)).toBe(false);
    expect(() => evaluateRule({ matches: ['a', { cat: ['a'.repeat(201)] }] }, scope)).toThrow(RuleError);
  });

  it('evaluateCondition applies JSON Logic truthiness', () => {
    expect(evaluateCondition({ var: 'input.tags' }, scope)).toBe(true);
    expect(evaluateCondition({ merge: [] }, scope)).toBe(false);
    expect(evaluateCondition({ '!!': [{ var: 'vars.nothing' }] }, scope)).toBe(false);
  });

  it('throws RuleError for invalid rules instead of evaluating them', () => {
    expect(() => evaluateRule({ teleport: [1] }, scope)).toThrow(RuleError);
    expect(() => evaluateRule({ log: ['x'] }, scope)).toThrow(/not allowed/);
    try {
      evaluateRule({ '==': [1] }, scope);
    } catch (err) {
      expect((err as RuleError).problems[0]).toMatchObject({ kind: 'arity', operator: '==', min: 2, max: 2, received: 1 });
    }
  });
});

describe('checkRule', () => {
  it('accepts valid rules, including nested and scoped ones', () => {
    expect(checkRule({ and: [{ '<': [{ var: 'vars.a' }, 3] }, { in_list: [{ var: 'x' }, [1, 2]] }] })).toEqual([]);
    expect(checkRule({ some: [{ var: 'input.items' }, { '>': [{ var: 'price' }, 10] }] })).toEqual([]);
    expect(checkRule({ '!': { var: 'a' } })).toEqual([]);
    expect(checkRule(true)).toEqual([]);
    expect(checkRule({ if: [{ var: 'a' }, 'x', 'y'] })).toEqual([]);
  });

  it('reports unknown and forbidden operators with their path', () => {
    expect(checkRule({ and: [{ '=': [1, 1] }] })).toEqual([expect.objectContaining({ kind: 'unknown_operator', operator: '=', path: 'and.0.=' })]);
    expect(checkRule({ log: 'x' })).toEqual([expect.objectContaining({ kind: 'forbidden_operator', operator: 'log' })]);
    expect(checkRule({ 'Math.max': [1, 2] })).toEqual([expect.objectContaining({ kind: 'unknown_operator' })]);
  });

  it('reports wrong argument counts', () => {
    expect(checkRule({ '==': [1, 2, 3] })).toEqual([expect.objectContaining({ kind: 'arity', received: 3 })]);
    expect(checkRule({ days_since: [] })).toEqual([expect.objectContaining({ kind: 'arity', received: 0 })]);
    expect(checkRule({ if: [1] })).toEqual([expect.objectContaining({ kind: 'arity' })]);
    expect(checkRule({ '<': [1, 2, 3] })).toEqual([]);
  });

  it('reports objects that are not operations', () => {
    expect(checkRule({ a: 1, b: 2 })).toEqual([expect.objectContaining({ kind: 'not_operation', path: '' })]);
    expect(checkRule({ '==': [{}, 1] })).toEqual([expect.objectContaining({ kind: 'not_operation', path: '==.0' })]);
  });

  it('reports bad literal regexes in matches', () => {
    expect(checkRule({ matches: [{ var: 'x' }, '(a)\\1'] })).toEqual([expect.objectContaining({ kind: 'invalid_regex' })]);
    expect(checkRule({ matches: [{ var: 'x' }, '(a+)+'] })).toEqual([]); // linear on RE2
    expect(checkRule({ matches: [{ var: 'x' }, '(unclosed'] })).toEqual([expect.objectContaining({ kind: 'invalid_regex' })]);
  });

  it('reports rules nested too deeply', () => {
    let rule: unknown = 1;
    for (let i = 0; i < 80; i++) rule = { '!': [rule] };
    expect(checkRule(rule).map((p) => p.kind)).toContain('too_deep');
  });
});

describe('ruleVariables', () => {
  it('lists var paths, including defaults and missing', () => {
    expect(
      ruleVariables({
        and: [{ '<': [{ var: 'vars.attempts' }, 3] }, { var: ['customer.email', ''] }, { missing: ['input.a', 'input.b'] }, { missing_some: [1, ['vars.x']] }],
      }).sort(),
    ).toEqual(['customer.email', 'input.a', 'input.b', 'vars.attempts', 'vars.x']);
  });

  it('skips item-scoped vars of map/filter/reduce/all/some/none', () => {
    expect(ruleVariables({ some: [{ var: 'input.items' }, { '>': [{ var: 'price' }, 10] }] })).toEqual(['input.items']);
    expect(ruleVariables({ reduce: [{ var: 'vars.list' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, { var: 'vars.start' }] })).toEqual([
      'vars.list',
      'vars.start',
    ]);
  });

  it('ignores the whole-scope var and literals', () => {
    expect(ruleVariables({ var: '' })).toEqual([]);
    expect(ruleVariables(5)).toEqual([]);
  });
});

describe('work limits (a runaway rule fails, deterministically)', () => {
  const long = 'a'.repeat(4999) + '!';

  it.each([
    [
      'a backtracking-prone regex over many long texts',
      { some: [{ var: 'vars.items' }, { matches: [{ var: '' }, '(a|aa)+$'] }] },
      { vars: { items: Array(1000).fill(long) } },
    ],
    ['`in` over many long texts', { some: [{ var: 'vars.items' }, { in: ['zz', { var: '' }] }] }, { vars: { items: Array(3000).fill(long) } }],
    [
      'a reduce inside a map',
      { map: [{ var: 'vars.items' }, { reduce: [{ var: 'list' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }] },
      { vars: { items: Array(500).fill({ list: Array.from({ length: 500 }, (_, i) => i) }) } },
    ],
  ])('%s', (_label, rule, data) => {
    let first: unknown;
    try {
      evaluateRule(rule, data);
    } catch (err) {
      first = err;
    }
    expect(first).toBeInstanceOf(RuleError);
    expect((first as RuleError).problems[0]?.kind).toBe('too_much_work');
    expect(() => evaluateRule(rule, data)).toThrow((first as Error).message);
  });

  it('leaves ordinary rules alone: a reduce over 10,000 items, a regex over a 5,000-character message', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    expect(evaluateRule({ reduce: [{ var: 'vars.items' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, { vars: { items } })).toBe(49_995_000);
    expect(evaluateRule({ matches: [{ var: 'last' }, '(a|aa)+$'] }, { last: long })).toBe(false);
    expect(evaluateRule({ matches: [{ var: 'last' }, '(?i)^A+!$'] }, { last: long })).toBe(true);
  });

  it('gives each evaluation a fresh budget', () => {
    const rule = { reduce: [{ var: 'vars.items' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] };
    const data = { vars: { items: Array.from({ length: 15_000 }, (_, i) => i) } };
    for (let i = 0; i < 5; i++) expect(evaluateRule(rule, data)).toBe(112_492_500);
  });
});
