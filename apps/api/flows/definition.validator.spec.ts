import { definitionShapeProblem, MAX_NODES } from './definition.validator';

describe('definitionShapeProblem', () => {
  it('accepts any object with node and edge arrays of objects, keeping editor properties', () => {
    expect(definitionShapeProblem({ nodes: [{ id: 'a', selected: true }], edges: [] }, 'definition')).toBeNull();
    expect(definitionShapeProblem({ nodes: [], edges: [], variables: [] }, 'definition')).toBeNull();
  });

  it('names the field that is wrong', () => {
    expect(definitionShapeProblem('x', 'definition')).toBe('definition must be an object with nodes and edges');
    expect(definitionShapeProblem([], 'definition')).toBe('definition must be an object with nodes and edges');
    expect(definitionShapeProblem({ edges: [] }, 'definition')).toBe('definition.nodes must be an array');
    expect(definitionShapeProblem({ nodes: [] }, 'definition')).toBe('definition.edges must be an array');
    expect(definitionShapeProblem({ nodes: [{}, 3], edges: [] }, 'definition')).toBe('definition.nodes.1 must be an object');
    expect(definitionShapeProblem({ nodes: [], edges: [null] }, 'definition')).toBe('definition.edges.0 must be an object');
    expect(definitionShapeProblem({ nodes: [], edges: [], variables: {} }, 'definition')).toBe('definition.variables must be an array');
    expect(definitionShapeProblem({ nodes: [{ id: 5 }], edges: [] }, 'definition')).toBe('definition.nodes.0.id must be a string');
    expect(definitionShapeProblem({ nodes: [{ id: 'a', data: [] }], edges: [] }, 'definition')).toBe('definition.nodes.0.data must be an object');
    expect(definitionShapeProblem({ nodes: [], edges: [{ id: 'e', sourceHandle: 3 }] }, 'definition')).toBe(
      'definition.edges.0.sourceHandle must be a string or null',
    );
    expect(definitionShapeProblem({ nodes: [], edges: [], variables: [{ name: 'x', type: 7 }] }, 'definition')).toBe(
      'definition.variables.0.type must be a string',
    );
    expect(definitionShapeProblem({ nodes: [], edges: [], variables: [null] }, 'definition')).toBe('definition.variables.0 must be an object');
    // Missing fields are the flow validator's to report, so a half-drawn draft still saves.
    expect(definitionShapeProblem({ nodes: [{}], edges: [{ targetHandle: null, sourceHandle: null }], variables: [{}] }, 'definition')).toBeNull();
    expect(definitionShapeProblem({ nodes: Array.from({ length: MAX_NODES + 1 }, () => ({})), edges: [] }, 'definition')).toContain('at most');
  });
});
