import { supportTriage } from './examples';
import type { FlowDefinition, FlowEdge, FlowNode, FlowProblem } from './types';
import { validateFlow } from './validator';

const e = (source: string, branch: string, target: string): FlowEdge => ({ id: `${source}-${branch}`, source, target, sourceHandle: branch });

/** start → node under test → end, wiring every branch of the node to end. */
function around(node: FlowNode, branches: string[], extra: Partial<FlowDefinition> = {}): FlowDefinition {
  return {
    nodes: [{ id: 'start', type: 'start', data: { trigger: 'api' } }, node, { id: 'end', type: 'end', data: { outcome: 'completed' } }],
    edges: [e('start', 'next', node.id), ...branches.map((b) => e(node.id, b, 'end'))],
    ...extra,
  };
}

const codes = (problems: FlowProblem[]) => problems.map((p) => p.code);
const at = (problems: FlowProblem[]) => problems.map((p) => `${p.code}@${p.field ?? ''}`);

describe('validateFlow robustness', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'flow'],
    ['an array', []],
    ['nodes of garbage', { nodes: [null, 1, 'x', [], { id: 5 }, { id: 'a', type: 7, data: 'x' }], edges: [5, { id: {} }, { source: 1 }] }],
    [
      'nodes without data',
      {
        nodes: [
          { id: 'start', type: 'start' },
          { id: 'm', type: 'message' },
        ],
        edges: [],
      },
    ],
    [
      'a cyclic object in data',
      (() => {
        const d: Record<string, unknown> = { trigger: 'api' };
        d.self = d;
        return { nodes: [{ id: 's', type: 'start', data: d }], edges: [] };
      })(),
    ],
    ['huge ids', { nodes: [{ id: 'x'.repeat(10_000), type: 'start', data: { trigger: 'api' } }], edges: [] }],
  ])('never throws on %s', (_name, flow) => {
    const result = validateFlow(flow);
    expect(result.valid).toBe(false);
    expect(codes(result.errors)).not.toContain('flow.validation_failed');
  });

  it('reports every problem at once', () => {
    const flow = JSON.parse(JSON.stringify(supportTriage)) as FlowDefinition;
    const ask = flow.nodes.find((n) => n.id === 'ask')!;
    ask.data.timeout = 'forever';
    const escalate = flow.nodes.find((n) => n.id === 'escalate')!;
    (escalate.data.tiers as Record<string, unknown>[])[1].sla = '400d';
    flow.edges = flow.edges.filter((x) => x.id !== 'classify.fallback->escalate');
    flow.nodes.push({ id: 'extra', type: 'start', data: { trigger: 'event' } });
    const result = validateFlow(flow, { locale: 'en' });
    expect(at(result.errors).sort()).toEqual(
      [
        'duration.invalid@timeout',
        'duration.out_of_range@tiers.1.sla',
        'flow.multiple_starts@',
        'node.branch_unconnected@',
        'node.branch_unconnected@',
        'node.invalid_data@event',
      ].sort(),
    );
    const unconnected = result.errors.filter((p) => p.code === 'node.branch_unconnected');
    expect(unconnected.map((p) => [p.nodeId, p.branch])).toEqual(
      expect.arrayContaining([
        ['classify', 'fallback'],
        ['extra', 'next'],
      ]),
    );
    expect(unconnected.find((p) => p.nodeId === 'classify')!.messages).toEqual({
      es: 'El nodo «Clasificar intención» tiene la salida «fallback» sin conectar.',
      en: 'Node “Clasificar intención” has its “fallback” branch unconnected.',
    });
  });
});

describe('node data problems', () => {
  it('one problem per schema issue, with the field path and a bilingual message naming it', () => {
    const node: FlowNode = { id: 'esc', type: 'escalate', data: { label: 'Escalar', tiers: [{ queue: 'l1', notify: [{ channel: 'pigeon', to: 'x' }] }] } };
    const result = validateFlow(around(node, ['resolved', 'returned', 'unresolved']));
    expect(at(result.errors).sort()).toEqual(['node.invalid_data@tiers.0.notify.0.channel', 'node.invalid_data@tiers.0.sla'].sort());
    const sla = result.errors.find((p) => p.field === 'tiers.0.sla')!;
    expect(sla.messages.es).toBe('En el nodo «Escalar», el campo «SLA (tiers.0.sla)» es obligatorio.');
    expect(sla.messages.en).toBe('In node “Escalar”, the “SLA (tiers.0.sla)” field is required.');
    const channel = result.errors.find((p) => p.field === 'tiers.0.notify.0.channel')!;
    expect(channel.messages.en).toContain('must be one of: email, sms, slack, webhook');
  });

  it('explains types, sizes and formats', () => {
    const node: FlowNode = { id: 'ask', type: 'ask', data: { text: '', variable: 'my var', maxAttempts: 50 } };
    const result = validateFlow(around(node, ['reply']));
    const byField = Object.fromEntries(result.errors.map((p) => [p.field, p.messages]));
    expect(byField.text.es).toContain('no puede estar vacío');
    expect(byField.variable.en).toContain('may only contain letters, digits and underscores');
    expect(byField.maxAttempts.en).toContain('must be at most 10');
  });

  it('cross-field rules of the schemas', () => {
    const check = (node: FlowNode, branches: string[]) => at(validateFlow(around(node, branches)).errors);
    expect(check({ id: 'n', type: 'start', data: { trigger: 'event' } }, [])).toContain('node.invalid_data@event');
    expect(check({ id: 'n', type: 'delay', data: {} }, ['next'])).toEqual(['node.invalid_data@duration']);
    expect(check({ id: 'n', type: 'delay', data: { duration: '1h', until: '{{ input.at }}' } }, ['next'])).toEqual(['node.invalid_data@duration']);
    expect(check({ id: 'n', type: 'setVariables', data: { assignments: [{ variable: 'x', value: 1, template: 'y' }] } }, ['next'])).toEqual([
      'node.invalid_data@assignments.0',
    ]);
    expect(
      check(
        {
          id: 'n',
          type: 'abSplit',
          data: {
            experiment: 'x',
            variants: [
              { id: 'A', weight: 1 },
              { id: 'A', weight: 1 },
            ],
          },
        },
        ['A'],
      ),
    ).toEqual(['node.invalid_data@variants.1.id']);
    expect(check({ id: 'n', type: 'switch', data: { cases: [{ id: 'default', rule: { '==': [1, 1] } }] } }, ['default'])).toEqual([
      'node.invalid_data@cases.0.id',
    ]);
    expect(check({ id: 'n', type: 'crm.update', data: {} }, ['next'])).toEqual(['node.invalid_data@fields']);
    expect(
      check(
        {
          id: 'n',
          type: 'personalize',
          data: { rules: [{ id: 'r', condition: { '==': [1, 1] }, action: { offer: 'X' }, priority: 1, activeFrom: '2024-05-02', activeTo: '2024-05-01' }] },
        },
        ['matched', 'noMatch'],
      ),
    ).toEqual(['node.invalid_data@rules.0.activeTo']);
  });

  it('checks durations in every duration field', () => {
    const cases: [FlowNode, string[], string][] = [
      [{ id: 'n', type: 'delay', data: { duration: '1 year' } }, ['next'], 'duration'],
      [{ id: 'n', type: 'waitForEvent', data: { event: 'paid', timeout: '0s' } }, ['event', 'timeout'], 'timeout'],
      [{ id: 'n', type: 'ask', data: { text: 'x', variable: 'v', timeout: 'mañana' } }, ['reply', 'timeout'], 'timeout'],
      [{ id: 'n', type: 'escalate', data: { tiers: [{ queue: 'q', notify: [], sla: '10' }] } }, ['resolved', 'returned', 'unresolved'], 'tiers.0.sla'],
      [
        { id: 'n', type: 'escalate', data: { tiers: [{ queue: 'q', notify: [], sla: '1h' }], maxConversation: '2y' } },
        ['resolved', 'returned', 'unresolved'],
        'maxConversation',
      ],
      [{ id: 'n', type: 'csat', data: { timeout: '1M' } }, ['next', 'timeout'], 'timeout'],
      [{ id: 'n', type: 'http', data: { method: 'GET', url: 'https://x.test', timeout: '5 secs' } }, ['ok', 'error'], 'timeout'],
    ];
    for (const [node, branches, field] of cases) {
      const problems = validateFlow(around(node, branches)).errors;
      expect([node.type, at(problems)]).toEqual([
        node.type,
        [expect.stringMatching(new RegExp(`^duration\\.(invalid|out_of_range)@${field.replace('.', '\\.')}$`))],
      ]);
    }
  });

  it('checks templates and rules wherever they are nested', () => {
    const node: FlowNode = {
      id: 'p',
      type: 'personalize',
      data: { rules: [{ id: 'r', condition: { '=': [1, 1] }, action: { content: '{{ oops' }, priority: 1 }] },
    };
    expect(at(validateFlow(around(node, ['matched', 'noMatch'])).errors).sort()).toEqual([
      'rule.invalid@rules.0.condition',
      'template.invalid@rules.0.action.content',
    ]);
    const http: FlowNode = { id: 'h', type: 'http', data: { method: 'POST', url: 'https://x.test', headers: { 'X-Id': '{{ customer.id ' } } };
    expect(at(validateFlow(around(http, ['ok', 'error'])).errors)).toEqual(['template.invalid@headers.X-Id']);
    const churn: FlowNode = { id: 'c', type: 'score.churn', data: { features: { recency: { days_since: [] } } } };
    expect(at(validateFlow(around(churn, ['next'])).errors)).toEqual(['rule.invalid@features.recency']);
  });

  it('explains template errors in Spanish', () => {
    const node: FlowNode = { id: 'm', type: 'message', data: { label: 'Saludo', text: 'Hola\n{% if customer.vip %}VIP' } };
    const [problem] = validateFlow(around(node, ['next'])).errors;
    expect(problem.messages.es).toBe(
      'En el nodo «Saludo», la plantilla de «texto» tiene un error: la etiqueta {% if customer.vip %} no está cerrada (línea 2, columna 1).',
    );
  });

  it('unknown fields are warnings', () => {
    const node: FlowNode = { id: 'm', type: 'message', data: { text: 'Hola', buttons: [{ label: 'a', value: 'b', colour: 'red' }] } };
    const result = validateFlow(around(node, ['next']));
    expect(result.valid).toBe(true);
    expect(at(result.warnings)).toEqual(['node.unknown_field@buttons.0.colour']);
  });
});

describe('custom activities', () => {
  const registry = {
    syncErp: { title: 'Sync ERP', inputSchema: { type: 'object', required: ['orderId', 'mode'], properties: { orderId: { type: 'string' } } } },
  };

  it('accepts a registered activity with its required input', () => {
    const node: FlowNode = { id: 'a', type: 'activity:syncErp', data: { input: { orderId: '{{ input.orderId }}', mode: 'full' } } };
    expect(validateFlow(around(node, ['ok', 'error']), { customActivities: registry })).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('reports missing required keys, invalid templates and a missing input object', () => {
    const node: FlowNode = { id: 'a', type: 'activity:syncErp', data: { input: { orderId: '{{ input.orderId ' } } };
    expect(at(validateFlow(around(node, ['ok', 'error']), { customActivities: registry }).errors).sort()).toEqual([
      'node.invalid_data@input.mode',
      'template.invalid@input.orderId',
    ]);
    const noInput: FlowNode = { id: 'a', type: 'activity:syncErp', data: {} };
    expect(at(validateFlow(around(noInput, ['ok', 'error']), { customActivities: registry }).errors).sort()).toEqual([
      'node.invalid_data@input',
      'node.invalid_data@input.mode',
      'node.invalid_data@input.orderId',
    ]);
  });
});

describe('variables', () => {
  it('knows the variables every writer defines', () => {
    const flow: FlowDefinition = {
      variables: [{ name: 'declared', type: 'number', default: 1 }],
      nodes: [
        { id: 'start', type: 'start', data: { trigger: 'api' } },
        { id: 'set', type: 'setVariables', data: { assignments: [{ variable: 'fromSet', value: 1 }] } },
        { id: 'wait', type: 'waitForEvent', data: { event: 'paid', timeout: '1d', variable: 'fromEvent' } },
        { id: 'churn', type: 'score.churn', data: {} },
        { id: 'survey', type: 'csat', data: {} },
        { id: 'call', type: 'http', data: { method: 'GET', url: 'https://x.test', variable: 'fromHttp' } },
        {
          id: 'msg',
          type: 'message',
          data: {
            text: '{{ vars.declared }} {{ vars.fromSet }} {{ vars.fromEvent.total }} {{ vars.churnScore }} {{ vars.csat }} {{ vars.fromHttp }} {{ nodes.call.output.status }} {{ event.type }} {{ run.id }} {{ last.text }} {{ input.x }} {{ customer.name }}',
          },
        },
        { id: 'end', type: 'end', data: { outcome: 'completed' } },
      ],
      edges: [
        e('start', 'next', 'set'),
        e('set', 'next', 'wait'),
        e('wait', 'event', 'churn'),
        e('wait', 'timeout', 'end'),
        e('churn', 'next', 'survey'),
        e('survey', 'next', 'call'),
        e('survey', 'timeout', 'end'),
        e('call', 'ok', 'msg'),
        e('call', 'error', 'end'),
        e('msg', 'next', 'end'),
      ],
    };
    expect(validateFlow(flow)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('validates flow variable declarations', () => {
    const flow = around({ id: 'm', type: 'message', data: { text: 'x' } }, ['next'], {
      variables: [
        { name: 'ok', type: 'string', default: 'x' },
        { name: 'ok', type: 'string' },
        { name: 'n', type: 'date' as never },
        { name: 'm', type: 'number', default: 'one' },
        'junk' as never,
      ],
    });
    expect(validateFlow(flow).errors.map((p) => [p.code, p.field])).toEqual([
      ['variable.invalid_declaration', 'variables.1.name'],
      ['variable.invalid_declaration', 'variables.2.type'],
      ['variable.invalid_declaration', 'variables.3.default'],
      ['variable.invalid_declaration', 'variables.4'],
    ]);
  });
});

describe('options', () => {
  it('uses Spanish by default and English on request', () => {
    const flow = { nodes: [], edges: [] };
    expect(validateFlow(flow).errors[0].message).toBe('El flujo no tiene nodo de inicio. Añade un nodo «Inicio».');
    expect(validateFlow(flow, { locale: 'en' }).errors[0].message).toBe('The flow has no start node. Add a “Start” node.');
  });

  it('names nodes by label, then id', () => {
    const flow = around({ id: 'm1', type: 'message', data: { text: 5 } }, ['next']);
    expect(validateFlow(flow, { locale: 'en' }).errors[0].message).toContain('“m1”');
    (flow.nodes[1].data as Record<string, unknown>).label = 'Bienvenida';
    expect(validateFlow(flow, { locale: 'en' }).errors[0].message).toContain('“Bienvenida”');
  });

  it('accepts subflows to known flows', () => {
    const flow = around({ id: 's', type: 'subflow', data: { flowId: 'billing' } }, ['completed', 'failed']);
    expect(validateFlow(flow, { knownFlowIds: ['billing'] }).valid).toBe(true);
    expect(validateFlow(flow).valid).toBe(true);
  });
});

describe('cross-field checks run alongside field errors', () => {
  it('reports a missing event and a bad channel together', () => {
    const flow: FlowDefinition = {
      nodes: [
        { id: 'start', type: 'start', data: { trigger: 'event', channel: 'fax' } },
        { id: 'end', type: 'end', data: { outcome: 'completed' } },
      ],
      edges: [e('start', 'next', 'end')],
    };
    expect(at(validateFlow(flow).errors).sort()).toEqual(['node.invalid_data@channel', 'node.invalid_data@event']);
  });

  it.each(['start', 'ask', 'delay', 'setVariables', 'abSplit', 'personalize', 'crm.update', 'switch', 'ai.classify', 'escalate'])(
    '%s survives data of the wrong shape',
    (type) => {
      for (const data of [
        null,
        'x',
        [],
        { options: 5, variants: 'x', rules: [null, 3, { action: 5 }], assignments: [7], cases: {}, intents: 1, tiers: [null] },
      ]) {
        const result = validateFlow({
          nodes: [
            { id: 'start', type: 'start', data: { trigger: 'api' } },
            { id: 'n', type, data },
          ],
          edges: [e('start', 'next', 'n')],
        });
        expect(codes(result.errors)).not.toContain('flow.validation_failed');
        expect(codes(result.errors)).toContain('node.invalid_data');
      }
    },
  );
});

describe('reserved names (prototype keys)', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %j as a variable a node writes, a declared variable and a read path', (name) => {
    const setter = around({ id: 'set', type: 'setVariables', data: { assignments: [{ variable: name, value: { isVip: true } }] } }, ['next']);
    const written = validateFlow(setter);
    expect(at(written.errors)).toContain('node.invalid_data@assignments.0.variable');
    expect(written.errors.find((p) => p.field === 'assignments.0.variable')?.messages?.es).toMatch(/nombre reservado/);

    const declared = validateFlow({ ...around({ id: 'm', type: 'message', data: { text: 'hola' } }, ['next']), variables: [{ name, type: 'object' }] });
    expect(at(declared.errors)).toContain('variable.invalid_declaration@variables.0.name');

    const read = validateFlow(around({ id: 'c', type: 'condition', data: { rule: { '!!': [{ var: `vars.${name}.isVip` }] } } }, ['true', 'false']));
    expect(at(read.errors)).toContain('variable.reserved_name@rule');
  });

  it('still accepts names that merely contain a reserved word', () => {
    const flow = around(
      {
        id: 'set',
        type: 'setVariables',
        data: {
          assignments: [
            { variable: 'constructor_name', value: 'x' },
            { variable: 'my_prototype', value: 'y' },
          ],
        },
      },
      ['next'],
    );
    expect(validateFlow(flow).errors).toEqual([]);
  });
});
