import { supportTriage } from '../../../workflows/language';
import { deepEqual, diffDefinitions } from './flow-diff';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('diffDefinitions', () => {
  it('finds nothing between a flow and its copy', () => {
    const d = diffDefinitions(supportTriage, clone(supportTriage));
    expect(d.identical).toBe(true);
    expect(d.nodes).toEqual({ added: [], removed: [], changed: [], moved: [] });
  });

  it('reports nodes and edges added, removed and changed by id, with the data fields that differ', () => {
    const next = clone(supportTriage);
    next.nodes = next.nodes.filter((n) => n.id !== 'csat');
    next.edges = next.edges.filter((e) => e.source !== 'csat' && e.target !== 'csat');
    next.nodes.push({ id: 'bye', type: 'message', data: { text: 'Adiós' } });
    next.edges.push({ id: 'reply.answered->bye', source: 'reply', sourceHandle: 'answered', target: 'bye' });
    const ask = next.nodes.find((n) => n.id === 'ask')!;
    ask.data = { ...ask.data, text: '¿Qué necesitas?', timeout: undefined };
    next.nodes.find((n) => n.id === 'greet')!.position = { x: 999, y: 999 };
    const edge = next.edges.find((e) => e.id === 'escalate.unresolved->endAbandoned')!;
    edge.target = 'endResolved';

    const d = diffDefinitions(supportTriage, next);
    expect(d.identical).toBe(false);
    expect(d.nodes.added).toEqual(['bye']);
    expect(d.nodes.removed).toEqual(['csat']);
    expect(d.nodes.changed).toEqual([{ id: 'ask', fields: ['data.text', 'data.timeout'] }]);
    expect(d.nodes.moved).toEqual(['greet']);
    expect(d.edges.added).toEqual(['reply.answered->bye']);
    expect(d.edges.removed).toEqual(['csat.next->endResolved', 'csat.timeout->endResolved', 'escalate.returned->csat', 'reply.answered->csat']);
    expect(d.edges.changed).toEqual([{ id: 'escalate.unresolved->endAbandoned', fields: ['target'] }]);
  });

  it('compares node types and variables, and tolerates malformed input', () => {
    const a = { nodes: [{ id: 'x', type: 'message', data: {} }], edges: [], variables: [{ name: 'n', type: 'number', default: 0 }] };
    const b = {
      nodes: [{ id: 'x', type: 'ask', data: {} }],
      edges: 'nope',
      variables: [
        { name: 'n', type: 'number', default: 1 },
        { name: 'm', type: 'string' },
      ],
    };
    const d = diffDefinitions(a, b);
    expect(d.nodes.changed).toEqual([{ id: 'x', fields: ['type'] }]);
    expect(d.variables).toEqual({ added: ['m'], removed: [], changed: [{ id: 'n', fields: ['default'] }] });
    expect(diffDefinitions(null, undefined).identical).toBe(true);
  });

  it('deepEqual ignores key order and undefined values', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, z: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: '1' })).toBe(false);
  });
});
