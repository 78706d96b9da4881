import { act, renderHook } from '@testing-library/react';
import { nodeBranches, validateFlow } from '../../../workflows/language';
import { largeFlow } from '../../../bench/ui-large-flow';
import { toCanvas, toFlow } from './convert';
import { computeLayout, tightEdges } from './layout';
import { useFlowEditor } from './use-flow-editor';

const small = () => {
  const { nodes, edges } = toCanvas({
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } },
      { id: 'check', type: 'condition', position: { x: 0, y: 100 }, data: { rule: { '==': [{ var: 'vars.a' }, 1] } } },
      { id: 'yes', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'resolved' } },
      { id: 'no', type: 'end', position: { x: 0, y: 300 }, data: { outcome: 'abandoned' } },
    ],
    edges: [{ id: 'start.next->check', source: 'start', sourceHandle: 'next', target: 'check' }],
  });
  return { nodes, edges, variables: [] };
};

describe('the editor document', () => {
  it('connects a branch to one target only (a new edge replaces the old one) and undoes it', () => {
    const { result } = renderHook(() => useFlowEditor(small()));
    act(() => result.current.connect({ source: 'check', sourceHandle: 'true', target: 'yes', targetHandle: 'in' }));
    act(() => result.current.connect({ source: 'check', sourceHandle: 'true', target: 'no', targetHandle: 'in' }));
    expect(result.current.doc.edges.filter((e) => e.source === 'check')).toEqual([
      { id: 'check.true->no', source: 'check', sourceHandle: 'true', target: 'no', targetHandle: 'in' },
    ]);
    expect(result.current.dirty).toBe(true);
    act(() => result.current.undo());
    expect(result.current.doc.edges.find((e) => e.source === 'check')?.target).toBe('yes');
    act(() => result.current.redo());
    expect(result.current.doc.edges.find((e) => e.source === 'check')?.target).toBe('no');
  });

  it('keeps the connection of an intent renamed in place, letter by letter or cleared and typed anew', () => {
    const intents = (...ids: string[]) => ({ intents: ids.map((id) => ({ id, examples: ['x'] })) });
    const { nodes, edges } = toCanvas({
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } },
        { id: 'triage', type: 'ai.classify', position: { x: 0, y: 100 }, data: intents('billing', 'shipping') },
        { id: 'end', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'resolved' } },
      ],
      edges: [
        { id: 'triage.billing->end', source: 'triage', sourceHandle: 'billing', target: 'end' },
        { id: 'triage.shipping->end', source: 'triage', sourceHandle: 'shipping', target: 'end' },
      ],
    });
    const { result } = renderHook(() => useFlowEditor({ nodes, edges, variables: [] }));
    const handles = () => result.current.doc.edges.filter((e) => e.source === 'triage').map((e) => `${e.id} ${e.sourceHandle}`);
    act(() => result.current.updateNodeData('triage', intents('billing2', 'shipping'), 'intents'));
    expect(handles()).toEqual(['triage.billing2->end billing2', 'triage.shipping->end shipping']);
    act(() => result.current.updateNodeData('triage', intents('', 'shipping'), 'intents'));
    act(() => result.current.updateNodeData('triage', intents('c', 'shipping'), 'intents'));
    act(() => result.current.updateNodeData('triage', intents('cobros', 'shipping'), 'intents'));
    expect(handles()).toEqual(['triage.cobros->end cobros', 'triage.shipping->end shipping']);
    // A new intent added beside connected ones takes no edge.
    act(() => result.current.updateNodeData('triage', intents('cobros', 'shipping', 'refund'), 'intents'));
    expect(handles()).toEqual(['triage.cobros->end cobros', 'triage.shipping->end shipping']);
    expect(validateFlow(toFlow(result.current.doc.nodes, result.current.doc.edges)).errors.filter((e) => /cobros|billing/.test(e.message))).toEqual([]);
  });

  it('coalesces quick edits of one field into one undo step', () => {
    const { result } = renderHook(() => useFlowEditor(small()));
    act(() => result.current.updateNodeData('yes', { outcome: 'r' }, 'outcome'));
    act(() => result.current.updateNodeData('yes', { outcome: 're' }, 'outcome'));
    act(() => result.current.updateNodeData('yes', { outcome: 'res' }, 'outcome'));
    act(() => result.current.undo());
    expect(result.current.doc.nodes.find((n) => n.id === 'yes')?.data).toEqual({ outcome: 'resolved' });
    expect(result.current.canUndo).toBe(false);
  });

  it('copies and pastes a selection with fresh ids and the edges between the copied nodes', () => {
    const { result } = renderHook(() => useFlowEditor(small()));
    act(() => result.current.connect({ source: 'check', sourceHandle: 'true', target: 'yes', targetHandle: 'in' }));
    act(() => result.current.select(['check', 'yes']));
    act(() => void result.current.copy());
    act(() => void result.current.paste());
    const ids = result.current.doc.nodes.map((n) => n.id);
    expect(ids).toEqual(['start', 'check', 'yes', 'no', 'condition_1', 'end_1']);
    expect(result.current.doc.edges.at(-1)).toMatchObject({ id: 'condition_1.true->end_1', source: 'condition_1', target: 'end_1', sourceHandle: 'true' });
    expect(result.current.doc.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['condition_1', 'end_1']);
    // A second start is never pasted.
    act(() => result.current.select(['start']));
    act(() => void result.current.copy());
    act(() => void result.current.paste());
    expect(result.current.doc.nodes.filter((n) => n.type === 'start')).toHaveLength(1);
  });

  it('saves what it draws: the flow format with positions and named handles', () => {
    const { result } = renderHook(() => useFlowEditor(small()));
    act(() => void result.current.addNode('ask', { x: 10.4, y: 20.6 }, { text: '¿Sí?', variable: 'reply' }));
    const flow = result.current.current();
    expect(flow.nodes.at(-1)).toEqual({ id: 'ask_1', type: 'ask', position: { x: 10, y: 21 }, data: { text: '¿Sí?', variable: 'reply' } });
    expect(toFlow(result.current.doc.nodes, result.current.doc.edges).edges[0]).toEqual({
      id: 'start.next->check',
      source: 'start',
      target: 'check',
      sourceHandle: 'next',
      targetHandle: 'in',
    });
  });
});

describe('auto-layout', () => {
  it('keeps branches in their declared order, left to right', () => {
    const p = computeLayout(
      [
        { id: 'c', type: 'condition', data: { rule: {} } },
        { id: 'f', type: 'end', data: {} },
        { id: 't', type: 'end', data: {} },
      ],
      [
        { id: 'c.false->f', source: 'c', sourceHandle: 'false', target: 'f' },
        { id: 'c.true->t', source: 'c', sourceHandle: 'true', target: 't' },
      ],
    );
    expect(p.t.x).toBeLessThan(p.f.x);
    expect(p.t.y).toBeGreaterThan(p.c.y);
  });

  it('lays out a 300-node flow on its tight edges, every node placed below its first parent', () => {
    const flow = largeFlow(300);
    expect(flow.nodes).toHaveLength(300);
    expect(validateFlow(flow).valid).toBe(true);
    const nodes = flow.nodes.map((n) => ({ id: n.id, type: n.type, data: n.data }));
    const kept = tightEdges(nodes, flow.edges);
    // Every node but the start keeps an incoming edge; long jumps to the shared end are dropped.
    expect(new Set(kept.map((e) => e.target)).size).toBe(299);
    expect(kept.filter((e) => e.target === 'endAbandoned')).toHaveLength(1);
    const p = computeLayout(nodes, flow.edges);
    expect(Object.keys(p)).toHaveLength(300);
    for (const e of flow.edges.filter((x) => x.source.startsWith('msg'))) expect(p[e.target].y).toBeGreaterThan(p[e.source].y);
    expect(nodeBranches(flow.nodes.find((n) => n.id === 'ask1')!)).toEqual(['reply', 'timeout']);
  });
});
