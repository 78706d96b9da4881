import type { FlowDefinition, FlowEdge, FlowNode } from './types';
import { validateFlow } from './validator';

const e = (source: string, branch: string, target: string): FlowEdge => ({ id: `${source}-${branch}`, source, target, sourceHandle: branch });
const n = (id: string, type: string, data: Record<string, unknown>): FlowNode => ({ id, type, data });

/**
 * start → init(attempts = 0) → guard(rule) -true→ call(http) -ok/error→ step → guard; guard -false→ end.
 * `step` is the node that (maybe) increments the counter.
 */
function retryLoop(opts: { rule?: unknown; step?: unknown; loopBranch?: string; extra?: (f: FlowDefinition) => void } = {}): FlowDefinition {
  const loopBranch = opts.loopBranch ?? 'true';
  const exitBranch = loopBranch === 'true' ? 'false' : 'true';
  const flow: FlowDefinition = {
    nodes: [
      n('start', 'start', { trigger: 'api' }),
      n('init', 'setVariables', { assignments: [{ variable: 'attempts', value: 0 }] }),
      n('guard', 'condition', { rule: opts.rule ?? { '<': [{ var: 'vars.attempts' }, 3] } }),
      n('call', 'http', { method: 'POST', url: 'https://example.com/hook' }),
      n('step', 'setVariables', {
        assignments: [{ variable: 'attempts', rule: opts.step ?? { '+': [{ var: 'vars.attempts' }, 1] } }],
      }),
      n('end', 'end', { outcome: 'completed' }),
    ],
    edges: [
      e('start', 'next', 'init'),
      e('init', 'next', 'guard'),
      e('guard', loopBranch, 'call'),
      e('guard', exitBranch, 'end'),
      e('call', 'ok', 'end'),
      e('call', 'error', 'step'),
      e('step', 'next', 'guard'),
    ],
  };
  opts.extra?.(flow);
  return flow;
}

const cycleProblems = (flow: FlowDefinition) => validateFlow(flow).errors.filter((p) => p.code === 'flow.spinning_cycle');

describe('spinning cycles', () => {
  it('rejects a loop with neither a wait nor a counter, naming every node in it', () => {
    const flow = retryLoop({ rule: { '==': [{ var: 'input.retry' }, true] } });
    const [problem, ...rest] = cycleProblems(flow);
    expect(rest).toEqual([]);
    expect(problem.nodeId).toBe('guard');
    expect(problem.nodeIds).toEqual(['guard', 'call', 'step']);
    expect(problem.messages.es).toContain('«guard», «call» y «step»');
    expect(problem.messages.en).toContain('“guard”, “call” and “step”');
  });

  it('rejects a self-loop', () => {
    const flow: FlowDefinition = {
      nodes: [n('start', 'start', { trigger: 'api' }), n('check', 'condition', { rule: { '==': [1, 1] } }), n('end', 'end', { outcome: 'completed' })],
      edges: [e('start', 'next', 'check'), e('check', 'true', 'check'), e('check', 'false', 'end')],
    };
    expect(cycleProblems(flow).map((p) => p.nodeIds)).toEqual([['check']]);
  });

  it('accepts a loop through a waiting node (ask)', () => {
    const flow: FlowDefinition = {
      nodes: [
        n('start', 'start', { trigger: 'message' }),
        n('ask', 'ask', {
          text: '¿Algo más?',
          variable: 'more',
          options: [
            { label: 'Sí', value: 'yes' },
            { label: 'No', value: 'no' },
          ],
        }),
        n('reply', 'message', { text: 'Vale' }),
        n('end', 'end', { outcome: 'resolved' }),
      ],
      edges: [e('start', 'next', 'ask'), e('ask', 'yes', 'reply'), e('reply', 'next', 'ask'), e('ask', 'no', 'end'), e('ask', 'invalid', 'ask')],
    };
    expect(validateFlow(flow).errors).toEqual([]);
  });

  it.each(['delay', 'waitForEvent', 'csat', 'escalate'])('accepts a loop through %s', (type) => {
    const data: Record<string, Record<string, unknown>> = {
      delay: { duration: '1h' },
      waitForEvent: { event: 'order.updated', timeout: '1d' },
      csat: {},
      escalate: { tiers: [{ queue: 'l1', notify: [], sla: '10m' }] },
    };
    const flow = retryLoop({ rule: { '==': [{ var: 'input.retry' }, true] } });
    flow.nodes.push(n('wait', type, data[type]));
    const stepEdge = flow.edges.find((x) => x.id === 'step-next') as FlowEdge;
    stepEdge.target = 'wait';
    for (const branch of validateBranches(type)) flow.edges.push(e('wait', branch, 'guard'));
    expect(cycleProblems(flow)).toEqual([]);
  });

  it('accepts a bounded counter: {"<": [vars.attempts, 3]} on true, +1 in the loop', () => {
    expect(validateFlow(retryLoop()).errors).toEqual([]);
  });

  it('accepts the reversed comparison, a count-down, a between rule and a switch case', () => {
    expect(cycleProblems(retryLoop({ rule: { '>': [3, { var: 'vars.attempts' }] } }))).toEqual([]);
    expect(cycleProblems(retryLoop({ rule: { '>=': [{ var: 'vars.attempts' }, 3] }, loopBranch: 'false' }))).toEqual([]);
    expect(cycleProblems(retryLoop({ rule: { '>': [{ var: 'vars.attempts' }, 0] }, step: { '-': [{ var: 'vars.attempts' }, 1] } }))).toEqual([]);
    expect(cycleProblems(retryLoop({ rule: { '<': [-1, { var: 'vars.attempts' }, 3] } }))).toEqual([]);
    expect(cycleProblems(retryLoop({ rule: { and: [{ '<': [{ var: 'vars.attempts' }, 3] }, { var: 'input.retry' }] } }))).toEqual([]);
    expect(cycleProblems(retryLoop({ rule: { '!': [{ '>=': [{ var: 'vars.attempts' }, 3] }] } }))).toEqual([]);

    const withSwitch = retryLoop({
      extra: (f) => {
        const guard = f.nodes.find((x) => x.id === 'guard') as FlowNode;
        Object.assign(guard, { type: 'switch', data: { cases: [{ id: 'retry', rule: { '<=': [{ var: 'vars.attempts' }, 2] } }] } });
        f.edges = f.edges.filter((x) => x.source !== 'guard');
        f.edges.push(e('guard', 'retry', 'call'), e('guard', 'default', 'end'));
      },
    });
    expect(validateFlow(withSwitch).errors).toEqual([]);
  });

  it('rejects a counter stepping away from its bound', () => {
    expect(cycleProblems(retryLoop({ step: { '-': [{ var: 'vars.attempts' }, 1] } }))).toHaveLength(1);
  });

  it('rejects a guard whose loop branch is the unbounded one', () => {
    expect(cycleProblems(retryLoop({ loopBranch: 'false' }))).toHaveLength(1);
  });

  it('rejects a counter reset inside the loop', () => {
    const flow = retryLoop({
      extra: (f) => {
        const step = f.nodes.find((x) => x.id === 'step') as FlowNode;
        (step.data.assignments as unknown[]).push({ variable: 'attempts', value: 0 });
      },
    });
    expect(cycleProblems(flow)).toHaveLength(1);
  });

  it('rejects a counter written by another node of the loop (http.variable)', () => {
    const flow = retryLoop({ extra: (f) => ((f.nodes.find((x) => x.id === 'call') as FlowNode).data.variable = 'attempts') });
    expect(cycleProblems(flow)).toHaveLength(1);
  });

  it('rejects a second loop that skips the counter step', () => {
    // guard -true→ call -ok→ guard never increments.
    const flow = retryLoop({
      extra: (f) => ((f.edges.find((x) => x.id === 'call-ok') as FlowEdge).target = 'guard'),
    });
    const problems = cycleProblems(flow);
    expect(problems).toHaveLength(1);
    expect(problems[0].nodeIds).toEqual(['guard', 'call']);
  });

  it('rejects a second loop that skips the guard', () => {
    // step also loops back to call directly: call → step → call never checks the bound.
    const flow = retryLoop({
      extra: (f) => {
        (f.edges.find((x) => x.id === 'call-ok') as FlowEdge).target = 'step';
        f.nodes.push(n('route', 'condition', { rule: { '==': [{ var: 'input.x' }, 1] } }));
        (f.edges.find((x) => x.id === 'step-next') as FlowEdge).target = 'route';
        f.edges.push(e('route', 'true', 'guard'), e('route', 'false', 'call'));
      },
    });
    const problems = cycleProblems(flow);
    expect(problems).toHaveLength(1);
    expect(problems[0].nodeIds).toEqual(['call', 'step', 'route']);
  });
});

function validateBranches(type: string): string[] {
  return { delay: ['next'], waitForEvent: ['event', 'timeout'], csat: ['next', 'timeout'], escalate: ['resolved', 'returned', 'unresolved'] }[type] as string[];
}
