import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { FIELD_KIND_KEY, nodeJsonSchema, type FlowProblem, type JsonSchema } from '../../../../workflows/language';
import { I18nProvider } from '../../i18n';
import { queryToRule, ruleToQuery } from './rule-bridge';
import { RuleField } from './RuleField';
import { ObjectFields, defaultFor } from './SchemaForm';
import type { ScopeVariable } from './scope';
import { filterVariables, TemplateField, tokenAt } from './TemplateField';

const variables: ScopeVariable[] = [
  { path: 'vars.problem', hint: 'written' },
  { path: 'customer.name', hint: 'customer' },
  { path: 'customer.email', hint: 'customer' },
  { path: 'last.text', hint: 'message' },
];

function FormHarness({
  type,
  initial,
  problems = [],
  onValue,
}: {
  type: string;
  initial: Record<string, unknown>;
  problems?: FlowProblem[];
  onValue?: (v: Record<string, unknown>) => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <I18nProvider initialLocale="es">
      <ObjectFields
        schema={nodeJsonSchema(type) as JsonSchema}
        value={value}
        path=""
        onChange={(v) => {
          setValue(v);
          onValue?.(v);
        }}
        ctx={{ problems, variables }}
        skip={['label']}
      />
    </I18nProvider>
  );
}

describe('the form generated from a node’s JSON Schema', () => {
  it('shows required fields with widgets chosen by x-cauce-kind, and offers optional ones as "+ field"', () => {
    render(<FormHarness type="ask" initial={{ text: 'Hola', variable: 'reply' }} />);
    expect(screen.getByText('Texto')).toBeInTheDocument();
    expect(screen.getByText('Variable')).toBeInTheDocument();
    // text is a Liquid template: a textarea with the variable picker.
    expect(screen.getByTestId('field-text').tagName).toBe('TEXTAREA');
    expect(screen.getByLabelText('Insertar una variable')).toBeInTheDocument();
    for (const optional of ['options', 'validation', 'timeout', 'invalidText', 'maxAttempts', 'notes'])
      expect(screen.getByTestId(`add-field-${optional}`)).toBeInTheDocument();
  });

  it('adds an optional duration field with a readable preview, and removes it', async () => {
    const seen: Record<string, unknown>[] = [];
    render(<FormHarness type="ask" initial={{ text: 'Hola', variable: 'reply' }} onValue={(v) => seen.push(v)} />);
    await userEvent.click(screen.getByTestId('add-field-timeout'));
    expect(seen.at(-1)).toMatchObject({ timeout: '15m' });
    expect(screen.getByText('= 15 min')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Quitar el campo: Tiempo límite'));
    expect(seen.at(-1)).not.toHaveProperty('timeout');
  });

  it('edits lists of objects: add an option with a distinct value, reorder, remove', async () => {
    const seen: Record<string, unknown>[] = [];
    render(<FormHarness type="ask" initial={{ text: 'Hola', variable: 'reply', options: [{ label: 'Sí', value: 'yes' }] }} onValue={(v) => seen.push(v)} />);
    await userEvent.click(screen.getByTestId('add-options'));
    expect((seen.at(-1)!.options as unknown[]).at(-1)).toEqual({ label: '', value: 'option2' });
    await userEvent.click(screen.getAllByLabelText('Subir')[1]);
    expect((seen.at(-1)!.options as { value: string }[]).map((o) => o.value)).toEqual(['option2', 'yes']);
  });

  it('uses selects for enums with translated labels', () => {
    render(<FormHarness type="start" initial={{ trigger: 'api' }} />);
    const select = screen.getByDisplayValue('Llamada a la API') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Llamada a la API', 'Evento de negocio', 'Programación (cron)', 'Mensaje entrante']);
  });

  it('shows a problem under the field its path names, even an optional field not set yet', () => {
    const problem: FlowProblem = {
      code: 'node.invalid_data',
      severity: 'error',
      message: 'Indica el evento que inicia el flujo.',
      messages: { es: '', en: '' },
      nodeId: 's',
      field: 'event',
    };
    render(<FormHarness type="start" initial={{ trigger: 'event' }} problems={[problem]} />);
    const message = screen.getByText('Indica el evento que inicia el flujo.');
    expect(message.closest('.field')).toHaveTextContent('Evento');
  });

  it('gives new list items ids that name distinct branches', () => {
    const schema = (nodeJsonSchema('switch') as { properties: { cases: { items: JsonSchema } } }).properties.cases.items;
    expect(defaultFor(schema, [{ id: 'case1' }], 'cases')).toMatchObject({ id: 'case2', rule: { '==': [{ var: 'last.text' }, ''] } });
    expect((schema.properties as Record<string, JsonSchema>).rule[FIELD_KIND_KEY]).toBe('rule');
  });
});

describe('the Liquid template field', () => {
  it('knows when the cursor is inside a tag', () => {
    expect(tokenAt('Hola {{ cust', 12)).toEqual({ from: 8, query: 'cust' });
    expect(tokenAt('Hola {{ customer.name }} y', 26)).toBeNull();
    expect(tokenAt('{% if vars.', 11)).toEqual({ from: 6, query: 'vars.' });
    expect(tokenAt('{{ x | upc', 10)).toBeNull();
    expect(filterVariables(variables, 'cust').map((v) => v.path)).toEqual(['customer.name', 'customer.email']);
  });

  it('autocompletes variables while typing inside {{ }} and closes the tag', async () => {
    function Harness() {
      const [v, setV] = useState('');
      return (
        <I18nProvider initialLocale="es">
          <TemplateField value={v} onChange={setV} variables={variables} testId="tpl" />
          <output data-testid="value">{v}</output>
        </I18nProvider>
      );
    }
    render(<Harness />);
    await userEvent.type(screen.getByTestId('tpl'), 'Hola {{{{ cus');
    const list = screen.getByRole('listbox');
    expect(
      within(list)
        .getAllByRole('option')
        .map((o) => o.querySelector('.mono')?.textContent),
    ).toEqual(['customer.name', 'customer.email']);
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('value')).toHaveTextContent('Hola {{ customer.name }}');
  });

  it('inserts {{ path }} from the variable picker', async () => {
    function Harness() {
      const [v, setV] = useState('Hola ');
      return (
        <I18nProvider initialLocale="es">
          <TemplateField value={v} onChange={setV} variables={variables} testId="tpl" />
          <output data-testid="value">{v}</output>
        </I18nProvider>
      );
    }
    render(<Harness />);
    const area = screen.getByTestId('tpl') as HTMLTextAreaElement;
    area.setSelectionRange(5, 5);
    await userEvent.click(screen.getByLabelText('Insertar una variable'));
    fireEvent.mouseDown(screen.getByText('vars.problem'));
    expect(screen.getByTestId('value')).toHaveTextContent('Hola {{ vars.problem }}');
  });
});

describe('the visual rule builder', () => {
  it('round-trips the language’s rules through react-querybuilder', () => {
    const rules = [
      { '==': [{ var: 'input.plan' }, 'premium'] },
      { contains: [{ var: 'vars.problem' }, 'humano'] },
      { and: [{ '<': [{ var: 'vars.attempts' }, 3] }, { in_list: [{ var: 'customer.tier' }, ['gold', 'vip']] }] },
      { '!': { or: [{ starts_with: [{ var: 'last.text' }, 'no'] }, { '==': [{ var: 'vars.vip' }, true] }] } },
    ];
    for (const rule of rules) {
      const query = ruleToQuery(rule);
      expect(query).not.toBeNull();
      expect(queryToRule(query!)).toEqual(rule);
    }
  });

  it('sends rules it cannot show exactly to the JSON editor', () => {
    expect(ruleToQuery({ '>': [{ days_since: [{ var: 'customer.lastOrderAt' }] }, 30] })).toBeNull();
    expect(ruleToQuery({ '+': [{ var: 'vars.attempts' }, 1] })).toBeNull();
  });

  it('builds a "contains" condition from the UI as the language’s case-insensitive operator', async () => {
    const changes: unknown[] = [];
    function Harness() {
      const [rule, setRule] = useState<Record<string, unknown>>({ '==': [{ var: 'last.text' }, ''] });
      return (
        <I18nProvider initialLocale="es">
          <RuleField
            value={rule}
            variables={variables}
            onChange={(r) => {
              changes.push(r);
              setRule(r);
            }}
            testId="rule-field"
          />
        </I18nProvider>
      );
    }
    render(<Harness />);
    const builder = screen.getByTestId('rule-field');
    const field = builder.querySelector('.rule-path') as HTMLInputElement;
    await userEvent.clear(field);
    await userEvent.type(field, 'vars.problem');
    await userEvent.selectOptions(builder.querySelector('select.rule-operators')!, 'contains');
    await userEvent.type(builder.querySelector('input.rule-value')!, 'humano');
    expect(changes.at(-1)).toEqual({ contains: [{ var: 'vars.problem' }, 'humano'] });
    expect(within(builder).getByText('contains(vars.problem, "humano")')).toBeInTheDocument();
  });

  it('edits unsupported rules as JSON and reports invalid JSON', async () => {
    const onChange = jest.fn();
    render(
      <I18nProvider initialLocale="es">
        <RuleField value={{ '>': [{ days_since: [{ var: 'customer.lastOrderAt' }] }, 30] }} variables={variables} onChange={onChange} />
      </I18nProvider>,
    );
    expect(screen.getByText(/el editor visual no muestra/)).toBeInTheDocument();
    const area = screen.getByLabelText('Regla en JSON');
    fireEvent.change(area, { target: { value: '{"<": [' } });
    expect(screen.getByText('El JSON no es válido.')).toBeInTheDocument();
    fireEvent.change(area, { target: { value: '{"<": [{"var": "vars.n"}, 2]}' } });
    expect(onChange).toHaveBeenLastCalledWith({ '<': [{ var: 'vars.n' }, 2] });
  });
});
