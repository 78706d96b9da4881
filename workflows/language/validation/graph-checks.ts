/** Graph checks: start node, edges (dangling, unknown branch, into start), branch wiring, reachability. */
import type { ProblemCollector } from './collector';
import type { EdgeInfo, FlowModel, NodeInfo } from './model';

/**
 * Edges the interpreter could follow: source and target exist, the target is not a start (already an
 * error) and the branch is one the source has (or cannot be known).
 */
export function traversableEdges(model: FlowModel): (EdgeInfo & { source: string; target: string })[] {
  return model.edges.filter((e): e is EdgeInfo & { source: string; target: string } => {
    if (!e.source || !e.target || !model.byId.has(e.source) || !model.byId.has(e.target)) return false;
    if (model.byId.get(e.target)?.type === 'start') return false;
    const branches = model.byId.get(e.source)?.branches;
    return branches === null || branches === undefined || (e.sourceHandle !== undefined && branches.includes(e.sourceHandle));
  });
}

function checkStarts(model: FlowModel, problems: ProblemCollector): NodeInfo[] {
  const starts = model.nodes.filter((n) => n.inGraph && n.type === 'start');
  if (starts.length === 0) problems.add('flow.no_start', {});
  starts.slice(1).forEach((n) => problems.add('flow.multiple_starts', { node: n.name }, { nodeId: n.id }));
  return starts;
}

function checkEdges(model: FlowModel, problems: ProblemCollector): void {
  for (const edge of model.edges) {
    const name = edge.id ?? `#${edge.index + 1}`;
    const source = edge.source ? model.byId.get(edge.source) : undefined;
    const target = edge.target ? model.byId.get(edge.target) : undefined;
    const at = { edgeId: edge.id };
    if (!source) problems.add('edge.dangling_source', { edge: name, id: edge.source ?? '—' }, at);
    if (!target) problems.add('edge.dangling_target', { edge: name, id: edge.target ?? '—' }, at);
    if (target?.type === 'start') problems.add('edge.into_start', { edge: name, node: target.name }, { ...at, nodeId: target.id });
    if (!source) continue;
    if (!edge.sourceHandle) {
      problems.add('edge.missing_handle', { node: source.name }, { ...at, nodeId: source.id });
    } else if (source.branches && !source.branches.includes(edge.sourceHandle)) {
      problems.add(
        'edge.unknown_branch',
        { node: source.name, branch: edge.sourceHandle, branches: source.branches.join(', ') },
        { ...at, nodeId: source.id, branch: edge.sourceHandle },
      );
    }
  }
}

function checkBranchWiring(model: FlowModel, problems: ProblemCollector): void {
  const byBranch = new Map<string, EdgeInfo[]>();
  for (const edge of model.edges) {
    if (!edge.source || !edge.sourceHandle || !edge.target || !model.byId.has(edge.target)) continue;
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    byBranch.set(key, [...(byBranch.get(key) ?? []), edge]);
  }
  for (const node of model.nodes) {
    if (!node.inGraph || !node.branches || !node.id) continue;
    for (const branch of node.branches) {
      const edges = byBranch.get(`${node.id}\u0000${branch}`) ?? [];
      if (edges.length === 0) {
        problems.add('node.branch_unconnected', { node: node.name, branch }, { nodeId: node.id, branch });
      } else if (edges.length > 1) {
        problems.add('node.branch_multiple', { node: node.name, branch, count: edges.length }, { nodeId: node.id, branch, edgeId: edges[1].id });
      }
    }
  }
}

/** Nodes no start reaches (every start counts, so an extra start does not hide its own subgraph). */
function checkReachability(model: FlowModel, starts: NodeInfo[], problems: ProblemCollector): void {
  const next = new Map<string, string[]>();
  for (const e of traversableEdges(model)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const roots = starts.map((s) => s.id as string);
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length) {
    for (const target of next.get(queue.shift() as string) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const node of model.nodes) {
    if (node.inGraph && node.id && !seen.has(node.id)) problems.add('node.unreachable', { node: node.name }, { nodeId: node.id });
  }
}

export function checkGraph(model: FlowModel, problems: ProblemCollector): void {
  const starts = checkStarts(model, problems);
  checkEdges(model, problems);
  checkBranchWiring(model, problems);
  if (starts.length) checkReachability(model, starts, problems);
}
