import { checkTemplate, DEFAULT_MAX_OUTPUT, renderTemplate, TemplateError, templateVariablePaths, templateVariables } from './templates';

const scope = {
  customer: { name: 'Ana', tier: 'vip' },
  vars: { items: [{ name: 'Camiseta' }, { name: 'Gorra' }], total: 42.5 },
  run: { now: '2024-05-01T10:00:00Z' },
  nodes: { classify: { output: { intent: 'billing' } } },
};

function renderError(source: string, s: object = scope, options = {}): TemplateError {
  try {
    renderTemplate(source, s, options);
  } catch (err) {
    return err as TemplateError;
  }
  throw new Error('expected an error');
}

describe('renderTemplate', () => {
  it('renders synchronously with filters, loops and conditions', () => {
    const out = renderTemplate(
      'Hola {{ customer.name | upcase }}: {% for i in vars.items %}{{ i.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}. Total {{ vars.total }} €{% if customer.tier == "vip" %} (VIP){% endif %}',
      scope,
    );
    expect(out).toBe('Hola ANA: Camiseta, Gorra. Total 42.5 € (VIP)');
    expect(renderTemplate('{{ nodes.classify.output.intent }}', scope)).toBe('billing');
  });

  it('renders undefined variables as empty text', () => {
    expect(renderTemplate('[{{ vars.nothing }}]', scope)).toBe('[]');
  });

  it('reads "now" from run.now in date filters, in UTC', () => {
    expect(renderTemplate('{{ "now" | date: "%Y-%m-%d %H:%M" }}', scope)).toBe('2024-05-01 10:00');
    expect(renderTemplate('{{ "today" | date: "%d/%m" }}', { run: { now: Date.UTC(2024, 0, 2, 23) } })).toBe('02/01');
    expect(renderError('{{ "now" | date: "%Y" }}', {}).kind).toBe('render');
  });

  it('formats month names per locale', () => {
    expect(renderTemplate('{{ run.now | date: "%B" }}', scope, { locale: 'en' })).toBe('May');
    expect(renderTemplate('{{ run.now | date: "%B" }}', scope, { locale: 'es' }).toLowerCase()).toBe('mayo');
  });

  it('truncates output beyond the bound by default, or throws when asked', () => {
    const long = '{% for i in (1..2000) %}abcdefghij{% endfor %}';
    expect(renderTemplate(long, scope)).toHaveLength(DEFAULT_MAX_OUTPUT);
    expect(renderTemplate(long, scope, { maxLength: 15 })).toBe('abcdefghijabcde');
    expect(renderError(long, scope, { overflow: 'error' }).kind).toBe('too_long');
  });

  it('stops runaway loops deterministically', () => {
    expect(renderError('{% for i in (1..1000000) %}{{ i }}{% endfor %}').kind).toBe('render');
    const big = { vars: { big: Array.from({ length: 200 }, (_, i) => i) } };
    const nested = '{% for a in vars.big %}{% for b in vars.big %}{% assign x = b %}{% endfor %}{% endfor %}done';
    expect(renderError(nested, big).message).toMatch(/too much work/);
    expect(renderTemplate('{% for a in vars.big %}{% endfor %}done', big)).toBe('done');
  });

  it('throws a syntax TemplateError for broken templates', () => {
    const err = renderError('Hola {{ customer.name');
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.kind).toBe('syntax');
  });

  it('rejects unknown filters (strictFilters) and the random "sample" filter', () => {
    expect(renderError('{{ customer.name | shout }}').kind).toBe('syntax');
    expect(renderError('{{ vars.items | sample }}').kind).toBe('syntax');
  });

  it('has no file system: include, render and layout do not exist', () => {
    for (const tag of ['{% include "secrets" %}', '{% render "/etc/passwd" %}', '{% layout "base" %}x']) {
      expect(renderError(tag).kind).toBe('syntax');
    }
  });

  it('hides prototype properties', () => {
    expect(renderTemplate('[{{ customer.constructor }}{{ customer.__proto__ }}]', scope)).toBe('[]');
  });

  it('caches parsed templates without leaking values between renders', () => {
    const source = 'Hola {{ customer.name }}';
    expect(renderTemplate(source, { customer: { name: 'Ana' } })).toBe('Hola Ana');
    expect(renderTemplate(source, { customer: { name: 'Luis' } })).toBe('Hola Luis');
    for (let i = 0; i < 600; i++) renderTemplate(`n${i} {{ customer.name }}`, scope);
    expect(renderTemplate(source, { customer: { name: 'Eva' } })).toBe('Hola Eva');
  });
});

describe('checkTemplate', () => {
  it('returns [] for valid templates', () => {
    expect(checkTemplate('Hola {{ customer.name | default: "cliente" }}')).toEqual([]);
    expect(checkTemplate('plain text')).toEqual([]);
  });

  it('returns the problem with its position', () => {
    const [problem] = checkTemplate('línea 1\n{% if customer.vip %}sí');
    expect(problem.message).toMatch(/not closed/);
    expect(problem.line).toBe(2);
  });

  it('flags unknown filters, file tags, oversized sources and non-strings', () => {
    expect(checkTemplate('{{ x | nope }}')).toHaveLength(1);
    expect(checkTemplate('{% include "x" %}')).toHaveLength(1);
    expect(checkTemplate('x'.repeat(20_001))).toHaveLength(1);
    expect(checkTemplate(5 as unknown as string)).toHaveLength(1);
  });
});

describe('templateVariables', () => {
  const source =
    '{% assign first = vars.items | first %}{{ first.name }} {{ customer.name }} {% for i in vars.items %}{{ i }}{{ forloop.index }}{% endfor %} {{ nodes["classify"].output.intent }} {{ vars[key] }}';

  it('lists the roots read from the scope, without locals', () => {
    expect(templateVariables(source).sort()).toEqual(['customer', 'key', 'nodes', 'vars']);
  });

  it('lists full paths, stopping at dynamic segments', () => {
    expect(templateVariablePaths(source).sort()).toEqual(['customer.name', 'key', 'nodes.classify.output.intent', 'vars', 'vars.items']);
  });

  it('returns [] for templates that do not parse', () => {
    expect(templateVariables('{{ broken')).toEqual([]);
  });
});

describe('work limits (a runaway template fails, deterministically, and quickly)', () => {
  const list = Array.from({ length: 4500 }, (_, i) => `x${i % 10}`).join(',');

  it.each([
    // The review's case: split of a 9,000-character literal, then `where` inside a 5,000-iteration loop.
    [
      'where in a long loop',
      `{% assign parts = "${list}" | split: "," %}{% for i in (1..5000) %}{% assign hits = parts | where: "size", 2 %}{% endfor %}{{ hits | size }}`,
    ],
    ['contains in a long loop', `{% assign parts = "${list}" | split: "," %}{% for i in (1..9000) %}{% if parts contains "zz" %}a{% endif %}{% endfor %}`],
    ['output in a long loop', `{% for i in (1..9000) %}{{ vars.big }}{% endfor %}`],
    ['map of a map in a loop', `{% for i in (1..3000) %}{% assign m = vars.items | map: "name" | sort %}{% endfor %}`],
  ])('%s', (_label, source) => {
    const scope = { vars: { big: 'y'.repeat(9000), items: Array.from({ length: 2000 }, (_, i) => ({ name: `p${i}` })) } };
    let first: unknown;
    try {
      renderTemplate(source, scope);
    } catch (err) {
      first = err;
    }
    expect(first).toBeInstanceOf(TemplateError);
    expect((first as TemplateError).kind).toBe('render');
    expect((first as Error).message).toMatch(/too much work/);
    // Counted, not timed: the same render stops at the same place every time (replay agrees).
    expect(() => renderTemplate(source, scope)).toThrow((first as Error).message);
  });

  it('leaves ordinary templates alone, including a 1,000-item filter and a 500-item loop', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, price: i }));
    expect(renderTemplate('{{ vars.items | where: "name", "p3" | map: "price" | first }}', { vars: { items } })).toBe('3');
    expect(renderTemplate('{% for i in vars.items limit: 500 %}{{ i.name | upcase }} {% endfor %}', { vars: { items } }).length).toBeGreaterThan(2000);
  });
});
