import { z } from 'zod';
import { catalogForPalette, getNodeDescription, isWaitingNode, NODE_CATALOG, nodeBranches, nodeJsonSchema, nodeWrites, parseNodeData } from './catalog';
import { FIELD_KIND_KEY } from './nodes/fields';
// The editor's dictionary (en.ts has every key of es.ts, checked by its type).
import { es } from '../../ui/src/i18n/es';

/** The minimum of DESIGN.md's node catalog; a node type added later needs no line here. */
const DESIGN_TYPES = [
  'start',
  'message',
  'ask',
  'condition',
  'switch',
  'delay',
  'waitForEvent',
  'setVariables',
  'abSplit',
  'goal',
  'ai.classify',
  'ai.sentiment',
  'ai.reply',
  'escalate',
  'crm.lookup',
  'crm.update',
  'crm.ticket',
  'notify',
  'http',
  'personalize',
  'score.churn',
  'csat',
  'subflow',
  'end',
];
const CATALOG_TYPES = NODE_CATALOG.map((d) => d.type);

/** Every property schema in a JSON Schema (recursively), with its path. */
function properties(schema: Record<string, unknown>, path = ''): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [key, child] of Object.entries(props ?? {})) {
    out.push([`${path}${key}`, child]);
    out.push(...properties(child, `${path}${key}.`));
  }
  const items = schema.items as Record<string, unknown> | undefined;
  if (items) out.push(...properties(items, `${path}*.`));
  return out;
}

/** A JSON Schema, read loosely: these tests walk into nested properties by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking an untyped JSON Schema by path
type Schema = any;

describe('node catalog', () => {
  it('covers every node type of the design, each once', () => {
    expect(CATALOG_TYPES).toEqual(expect.arrayContaining(DESIGN_TYPES));
    expect(new Set(CATALOG_TYPES).size).toBe(CATALOG_TYPES.length);
  });

  it.each(CATALOG_TYPES)('%s: bilingual texts, a category, default data that parses', (type) => {
    const d = getNodeDescription(type)!;
    expect(d.title.es && d.title.en && d.description.es && d.description.en).toBeTruthy();
    expect(d.category).toMatch(/^(trigger|conversation|logic|timing|ai|crm|notify|integration|experiment|end)$/);
    expect(d.data.safeParse(d.defaultData).success).toBe(true);
  });

  it.each(CATALOG_TYPES)('%s: exports a JSON Schema with a description on every field', (type) => {
    const schema = nodeJsonSchema(type)!;
    expect(schema.type).toBe('object');
    expect(schema.$schema).toMatch(/json-schema/);
    const props = properties(schema);
    expect(props.length).toBeGreaterThan(0);
    for (const [path, prop] of props) {
      expect([path, typeof prop.description]).toEqual([path, 'string']);
    }
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('marks templates, rules and durations for the editor', () => {
    const escalate = nodeJsonSchema('escalate') as Schema;
    expect(escalate.properties.tiers.items.properties.sla[FIELD_KIND_KEY]).toBe('duration');
    expect(escalate.properties.messages.properties.waiting[FIELD_KIND_KEY]).toBe('template');
    expect((nodeJsonSchema('condition') as Schema).properties.rule[FIELD_KIND_KEY]).toBe('rule');
    expect((nodeJsonSchema('start') as Schema).properties.cron[FIELD_KIND_KEY]).toBe('cron');
  });

  it('returns undefined for unknown types and a generic schema for custom activities', () => {
    expect(nodeJsonSchema('teleport')).toBeUndefined();
    expect((nodeJsonSchema('activity:erp') as Schema).properties.input.type).toBe('object');
  });

  it('flags waiting nodes', () => {
    expect(DESIGN_TYPES.filter(isWaitingNode).sort()).toEqual(['ask', 'csat', 'delay', 'escalate', 'waitForEvent']);
    expect(isWaitingNode('activity:erp')).toBe(false);
  });
});

describe('nodeBranches', () => {
  const b = (type: string, data: unknown) => nodeBranches({ type, data });

  it('ask: one branch per option, else reply; invalid with options or validation; timeout when set', () => {
    expect(b('ask', { text: 'x', variable: 'v' })).toEqual(['reply']);
    expect(b('ask', { variable: 'v', timeout: '1h' })).toEqual(['reply', 'timeout']);
    expect(b('ask', { variable: 'v', validation: { kind: 'email' } })).toEqual(['reply', 'invalid']);
    expect(b('ask', { variable: 'v', validation: { kind: 'none' } })).toEqual(['reply']);
    expect(
      b('ask', {
        options: [
          { label: 'Sí', value: 'yes' },
          { label: 'No', value: 'no' },
        ],
        timeout: '5m',
      }),
    ).toEqual(['yes', 'no', 'invalid', 'timeout']);
  });

  it('data-driven branches', () => {
    expect(
      b('switch', {
        cases: [
          { id: 'a', rule: {} },
          { id: 'b', rule: {} },
        ],
      }),
    ).toEqual(['a', 'b', 'default']);
    expect(
      b('abSplit', {
        variants: [
          { id: 'A', weight: 1 },
          { id: 'B', weight: 1 },
        ],
      }),
    ).toEqual(['A', 'B']);
    expect(b('ai.classify', { intents: [{ id: 'billing', examples: ['x'] }] })).toEqual(['billing', 'fallback']);
  });

  it('fixed branches', () => {
    expect(b('start', {})).toEqual(['next']);
    expect(b('condition', {})).toEqual(['true', 'false']);
    expect(b('waitForEvent', {})).toEqual(['event', 'timeout']);
    expect(b('ai.sentiment', {})).toEqual(['negative', 'neutral', 'positive']);
    expect(b('ai.reply', {})).toEqual(['answered', 'unsure']);
    expect(b('escalate', {})).toEqual(['resolved', 'returned', 'unresolved']);
    expect(b('crm.lookup', {})).toEqual(['found', 'notFound']);
    expect(b('crm.update', {})).toEqual(['next']);
    expect(b('crm.ticket', {})).toEqual(['next']);
    expect(b('notify', {})).toEqual(['next', 'error']);
    expect(b('http', {})).toEqual(['ok', 'error']);
    expect(b('personalize', {})).toEqual(['matched', 'noMatch']);
    expect(b('score.churn', {})).toEqual(['next']);
    expect(b('csat', {})).toEqual(['next', 'timeout']);
    expect(b('subflow', {})).toEqual(['completed', 'failed']);
    expect(b('end', {})).toEqual([]);
    expect(b('activity:erp', {})).toEqual(['ok', 'error']);
    expect(b('teleport', {})).toEqual([]);
  });

  it("has a label in the editor's dictionary for every fixed branch (user-named ones show as written)", () => {
    const unlabelled = NODE_CATALOG.flatMap((d) =>
      nodeBranches({ type: d.type, data: {} })
        .filter((branch) => !Object.prototype.hasOwnProperty.call(es, `branch.${branch}`))
        .map((branch) => `${d.type}: branch.${branch}`),
    );
    expect(unlabelled).toEqual([]);
  });

  it('never throws on malformed data', () => {
    for (const data of [null, 5, 'x', [], { options: 'x' }, { cases: [null, 5, { id: 7 }] }, { intents: {} }]) {
      for (const type of CATALOG_TYPES) expect(() => b(type, data)).not.toThrow();
    }
  });
});

describe('nodeWrites', () => {
  it('lists the variables a node writes, with defaults', () => {
    expect(nodeWrites({ type: 'ask', data: { variable: 'email' } })).toEqual(['email']);
    expect(
      nodeWrites({
        type: 'setVariables',
        data: {
          assignments: [
            { variable: 'a', value: 1 },
            { variable: 'b', value: 2 },
          ],
        },
      }),
    ).toEqual(['a', 'b']);
    expect(nodeWrites({ type: 'csat', data: {} })).toEqual(['csat']);
    expect(nodeWrites({ type: 'score.churn', data: {} })).toEqual(['churnScore']);
    expect(nodeWrites({ type: 'http', data: { variable: 'resp' } })).toEqual(['resp']);
    expect(nodeWrites({ type: 'waitForEvent', data: { variable: 'purchase' } })).toEqual(['purchase']);
    expect(nodeWrites({ type: 'personalize', data: { rules: [{ action: { variables: { promo: 'x' } } }] } })).toEqual(['promo']);
    expect(nodeWrites({ type: 'message', data: {} })).toEqual([]);
  });
});

describe('parseNodeData', () => {
  it('applies defaults and types the result', () => {
    const parsed = parseNodeData('ai.reply', {});
    expect(parsed.success && parsed.data.sendReply).toBe(true);
    const csat = parseNodeData('csat', {});
    expect(csat.success && csat.data.variable).toBe('csat');
  });

  it('fails with zod issues for bad data and unknown types', () => {
    const bad = parseNodeData('delay', { duration: '1h', until: '{{ vars.date }}' });
    expect(bad.success).toBe(false);
    expect(parseNodeData('teleport', {}).success).toBe(false);
    const error = (parseNodeData('teleport', {}) as { error: z.ZodError }).error;
    expect(error.issues[0].message).toMatch(/teleport/);
  });
});

describe('catalogForPalette', () => {
  it('lists every node as plain serialisable objects in the requested language', () => {
    const es = catalogForPalette('es');
    const en = catalogForPalette('en');
    expect(es).toHaveLength(CATALOG_TYPES.length);
    expect(JSON.parse(JSON.stringify(es))).toEqual(es);
    const classify = en.find((e) => e.type === 'ai.classify')!;
    expect(classify).toMatchObject({ title: 'Classify intent', category: 'ai', waits: false, branches: ['billing', 'fallback'] });
    expect(es.find((e) => e.type === 'ai.classify')!.title).toBe('Clasificar intención');
    expect(classify.dataSchema.type).toBe('object');
  });

  it('adds custom activities with their input schema', () => {
    const palette = catalogForPalette('en', {
      syncErp: {
        title: { es: 'Sincronizar ERP', en: 'Sync ERP' },
        inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
      },
    });
    const entry = palette.find((e) => e.type === 'activity:syncErp')!;
    expect(entry).toMatchObject({ title: 'Sync ERP', category: 'custom', branches: ['ok', 'error'], defaultData: { input: {} } });
    expect((entry.dataSchema as Schema).properties.input.required).toEqual(['orderId']);
    // The cached generic schema is not mutated.
    expect((nodeJsonSchema('activity:other') as Schema).properties.input.required).toBeUndefined();
  });
});
