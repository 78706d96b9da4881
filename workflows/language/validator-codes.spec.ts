/**
 * One case per problem code (typed as Record<ProblemCode, ...>, so a new code without a test does not
 * compile): a valid base flow has no problem; each broken variant yields exactly the listed problems.
 */
import { PROBLEM_CODES, problemSeverity, type ProblemCode } from './messages';
import type { FlowDefinition, FlowEdge, FlowProblem, ValidateOptions } from './types';
import { validateFlow } from './validator';

const e = (source: string, branch: string, target: string): FlowEdge => ({
  id: `${source}-${branch}`,
  source,
  target,
  sourceHandle: branch,
});

/** start → ask(name) → check(vars.name?) → greet → end; ask.timeout and check.false → end. */
function base(): FlowDefinition {
  return {
    nodes: [
      { id: 'start', type: 'start', data: { trigger: 'api' } },
      { id: 'ask', type: 'ask', data: { label: 'Pedir nombre', text: '¿Cómo te llamas?', variable: 'name', timeout: '1h' } },
      { id: 'check', type: 'condition', data: { rule: { '!!': [{ var: 'vars.name' }] } } },
      { id: 'greet', type: 'message', data: { text: 'Hola {{ vars.name }}' } },
      { id: 'end', type: 'end', data: { outcome: 'completed' } },
    ],
    edges: [
      e('start', 'next', 'ask'),
      e('ask', 'reply', 'check'),
      e('ask', 'timeout', 'end'),
      e('check', 'true', 'greet'),
      e('check', 'false', 'end'),
      e('greet', 'next', 'end'),
    ],
  };
}

function node(flow: FlowDefinition, id: string) {
  const found = flow.nodes.find((n) => n.id === id);
  if (!found) throw new Error(id);
  return found;
}

function edit(mutate: (flow: FlowDefinition) => void): () => FlowDefinition {
  return () => {
    const flow = base();
    mutate(flow);
    return flow;
  };
}

type Located = Pick<FlowProblem, 'code' | 'nodeId' | 'edgeId' | 'field' | 'branch'>;

interface Case {
  flow: () => unknown;
  options?: ValidateOptions;
  expected: Located[];
}

const CASES: Record<ProblemCode, Case> = {
  'flow.invalid': { flow: () => 42, expected: [{ code: 'flow.invalid' }] },
  'flow.nodes_not_array': { flow: () => ({ nodes: {}, edges: [] }), expected: [{ code: 'flow.nodes_not_array' }] },
  'flow.edges_not_array': { flow: edit((f) => ((f as { edges: unknown }).edges = 'none')), expected: [{ code: 'flow.edges_not_array' }] },
  'flow.variables_not_array': {
    flow: edit((f) => ((f as { variables: unknown }).variables = { name: 'x' })),
    expected: [{ code: 'flow.variables_not_array' }],
  },
  'flow.validation_failed': {
    flow: edit((f) => {
      Object.defineProperty(node(f, 'greet').data, 'label', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
    }),
    expected: [{ code: 'flow.validation_failed' }],
  },
  'flow.no_start': {
    flow: edit((f) => {
      f.nodes = f.nodes.filter((n) => n.id !== 'start');
      f.edges = f.edges.filter((x) => x.source !== 'start');
    }),
    expected: [{ code: 'flow.no_start' }],
  },
  'flow.multiple_starts': {
    flow: edit((f) => {
      f.nodes.push({ id: 'start2', type: 'start', data: { trigger: 'message' } });
      f.edges.push(e('start2', 'next', 'greet'));
    }),
    expected: [{ code: 'flow.multiple_starts', nodeId: 'start2' }],
  },
  'flow.spinning_cycle': {
    flow: edit((f) => (f.edges.find((x) => x.id === 'greet-next')!.target = 'check')),
    expected: [{ code: 'flow.spinning_cycle', nodeId: 'check' }],
  },
  'node.malformed': { flow: edit((f) => (f.nodes as unknown[]).push('oops')), expected: [{ code: 'node.malformed' }] },
  'node.missing_id': {
    flow: edit((f) => (f.nodes as unknown[]).push({ type: 'end', data: { outcome: 'completed' } })),
    expected: [{ code: 'node.missing_id' }],
  },
  'node.duplicate_id': {
    flow: edit((f) => f.nodes.push({ id: 'end', type: 'end', data: { outcome: 'resolved' } })),
    expected: [{ code: 'node.duplicate_id', nodeId: 'end' }],
  },
  'node.reserved_id': {
    flow: edit((f) => {
      node(f, 'greet').id = '__proto__';
      for (const edge of f.edges) {
        if (edge.source === 'greet') edge.source = '__proto__';
        if (edge.target === 'greet') edge.target = '__proto__';
      }
    }),
    expected: [{ code: 'node.reserved_id', nodeId: '__proto__' }],
  },
  'node.unknown_type': {
    flow: edit((f) => (node(f, 'end').type = 'teleport')),
    expected: [{ code: 'node.unknown_type', nodeId: 'end' }],
  },
  'node.unknown_activity': {
    flow: edit((f) => {
      Object.assign(node(f, 'greet'), { type: 'activity:syncErp', data: { input: {} } });
      f.edges = f.edges.filter((x) => x.source !== 'greet');
      f.edges.push(e('greet', 'ok', 'end'), e('greet', 'error', 'end'));
    }),
    expected: [{ code: 'node.unknown_activity', nodeId: 'greet' }],
  },
  'node.invalid_data': {
    flow: edit((f) => (node(f, 'greet').data.text = 5)),
    expected: [{ code: 'node.invalid_data', nodeId: 'greet', field: 'text' }],
  },
  'node.unknown_field': {
    flow: edit((f) => (node(f, 'greet').data.txet = 'Hola')),
    expected: [{ code: 'node.unknown_field', nodeId: 'greet', field: 'txet' }],
  },
  'node.unknown_subflow': {
    flow: edit((f) => {
      Object.assign(node(f, 'greet'), { type: 'subflow', data: { flowId: 'billing-v2' } });
      f.edges = f.edges.filter((x) => x.source !== 'greet');
      f.edges.push(e('greet', 'completed', 'end'), e('greet', 'failed', 'end'));
    }),
    options: { knownFlowIds: ['billing'] },
    expected: [{ code: 'node.unknown_subflow', nodeId: 'greet', field: 'flowId' }],
  },
  'node.unreachable': {
    flow: edit((f) => f.nodes.push({ id: 'orphan', type: 'end', data: { outcome: 'failed' } })),
    expected: [{ code: 'node.unreachable', nodeId: 'orphan' }],
  },
  'node.branch_unconnected': {
    flow: edit((f) => (f.edges = f.edges.filter((x) => x.id !== 'ask-timeout'))),
    expected: [{ code: 'node.branch_unconnected', nodeId: 'ask', branch: 'timeout' }],
  },
  'node.branch_multiple': {
    flow: edit((f) => {
      f.nodes.push({ id: 'end2', type: 'end', data: { outcome: 'resolved' } });
      f.edges.push({ ...e('greet', 'next', 'end2'), id: 'greet-next-2' });
    }),
    expected: [{ code: 'node.branch_multiple', nodeId: 'greet', branch: 'next', edgeId: 'greet-next-2' }],
  },
  'edge.malformed': { flow: edit((f) => (f.edges as unknown[]).push(null)), expected: [{ code: 'edge.malformed' }] },
  'edge.missing_id': {
    flow: edit((f) => delete (f.edges[0] as Partial<FlowEdge>).id),
    expected: [{ code: 'edge.missing_id' }],
  },
  'edge.duplicate_id': {
    flow: edit((f) => (f.edges[1].id = f.edges[0].id)),
    expected: [{ code: 'edge.duplicate_id', edgeId: 'start-next' }],
  },
  'edge.missing_handle': {
    flow: edit((f) => f.edges.push({ id: 'extra', source: 'greet', target: 'end' } as FlowEdge)),
    expected: [{ code: 'edge.missing_handle', edgeId: 'extra', nodeId: 'greet' }],
  },
  'edge.dangling_source': {
    flow: edit((f) => f.edges.push({ id: 'ghost', source: 'ghost', target: 'end', sourceHandle: 'next' })),
    expected: [{ code: 'edge.dangling_source', edgeId: 'ghost' }],
  },
  'edge.dangling_target': {
    flow: edit((f) => f.edges.push({ id: 'nowhere', source: 'greet', target: 'ghost', sourceHandle: 'next' })),
    expected: [{ code: 'edge.dangling_target', edgeId: 'nowhere' }],
  },
  'edge.unknown_branch': {
    flow: edit((f) => f.edges.push({ id: 'maybe', source: 'check', target: 'end', sourceHandle: 'maybe' })),
    expected: [{ code: 'edge.unknown_branch', edgeId: 'maybe', nodeId: 'check', branch: 'maybe' }],
  },
  'edge.into_start': {
    flow: edit((f) => (f.edges.find((x) => x.id === 'ask-timeout')!.target = 'start')),
    expected: [{ code: 'edge.into_start', edgeId: 'ask-timeout', nodeId: 'start' }],
  },
  'rule.invalid': {
    flow: edit((f) => (node(f, 'check').data.rule = { and: [{ '<<': [1, 2] }] })),
    expected: [{ code: 'rule.invalid', nodeId: 'check', field: 'rule' }],
  },
  'template.invalid': {
    flow: edit((f) => (node(f, 'greet').data.text = 'Hola {{ vars.name')),
    expected: [{ code: 'template.invalid', nodeId: 'greet', field: 'text' }],
  },
  'duration.invalid': {
    flow: edit((f) => (node(f, 'ask').data.timeout = 'soon')),
    expected: [{ code: 'duration.invalid', nodeId: 'ask', field: 'timeout' }],
  },
  'duration.out_of_range': {
    flow: edit((f) => (node(f, 'ask').data.timeout = '50ms')),
    expected: [{ code: 'duration.out_of_range', nodeId: 'ask', field: 'timeout' }],
  },
  'cron.invalid': {
    flow: edit((f) => (node(f, 'start').data = { trigger: 'schedule', cron: '61 * * * *' })),
    expected: [{ code: 'cron.invalid', nodeId: 'start', field: 'cron' }],
  },
  'regex.invalid': {
    flow: edit((f) => {
      node(f, 'ask').data.validation = { kind: 'regex', pattern: '^(?!x)\\d+$' }; // lookahead: RE2 cannot run it
      f.edges.push(e('ask', 'invalid', 'end'));
    }),
    expected: [{ code: 'regex.invalid', nodeId: 'ask', field: 'validation.pattern' }],
  },
  'variable.unknown': {
    flow: edit((f) => (node(f, 'greet').data.text = 'Hola {{ vars.nombre }}')),
    expected: [{ code: 'variable.unknown', nodeId: 'greet', field: 'text' }],
  },
  'variable.unknown_root': {
    flow: edit((f) => (node(f, 'greet').data.text = 'Hola {{ client.name }}')),
    expected: [{ code: 'variable.unknown_root', nodeId: 'greet', field: 'text' }],
  },
  'variable.unknown_node': {
    flow: edit((f) => (node(f, 'check').data.rule = { '==': [{ var: 'nodes.classify.output.intent' }, 'billing'] })),
    expected: [{ code: 'variable.unknown_node', nodeId: 'check', field: 'rule' }],
  },
  'variable.reserved_name': {
    flow: edit((f) => (node(f, 'check').data.rule = { '!!': [{ var: 'vars.constructor.isVip' }] })),
    expected: [{ code: 'variable.reserved_name', nodeId: 'check', field: 'rule' }],
  },
  'variable.invalid_declaration': {
    flow: edit((f) => (f.variables = [{ name: '1st', type: 'string' }])),
    expected: [{ code: 'variable.invalid_declaration', field: 'variables.0.name' }],
  },
};

function located(p: FlowProblem): Located {
  const out: Located = { code: p.code };
  for (const key of ['nodeId', 'edgeId', 'field', 'branch'] as const) if (p[key] !== undefined) out[key] = p[key];
  return out;
}

const sortKey = (l: Located) => JSON.stringify(l);

describe('validateFlow problem codes', () => {
  it('the base flow has no problem at all', () => {
    expect(validateFlow(base())).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('every code has a case', () => {
    expect(Object.keys(CASES).sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it.each(Object.entries(CASES))('%s', (code, c) => {
    const result = validateFlow(c.flow(), c.options);
    const all = [...result.errors, ...result.warnings];
    expect(all.map(located).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual([...c.expected].sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
    const problem = all.find((p) => p.code === code) as FlowProblem;
    expect(problem.severity).toBe(problemSeverity(code as ProblemCode));
    expect(result.valid).toBe(result.errors.length === 0);
    expect(problem.message).toBe(problem.messages.es);
    expect(problem.messages.es).not.toBe(problem.messages.en);
    expect(problem.messages.es.length).toBeGreaterThan(10);
    const english = validateFlow(c.flow(), { ...c.options, locale: 'en' });
    const en = [...english.errors, ...english.warnings].find((p) => p.code === code) as FlowProblem;
    expect(en.message).toBe(en.messages.en);
  });
});
