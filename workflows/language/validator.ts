/**
 * validateFlow: every problem of a flow at once, in Spanish and English. Never throws.
 *
 * Decisions:
 * - Every branch of every node must have exactly one edge (unconnected branches are errors), so the
 *   interpreter can always follow the branch a node takes.
 * - Unreachable nodes, unknown data fields and `vars.X` reads that nothing defines are warnings;
 *   unknown scope roots and `nodes.<id>` of missing nodes are errors.
 */
import { findSpinningCycles } from './cycles';
import { ProblemCollector } from './validation/collector';
import { checkGraph, traversableEdges } from './validation/graph-checks';
import type { FlowModel, NodeInfo } from './validation/model';
import { checkNodeData } from './validation/node-checks';
import { readFlow } from './validation/structure';
import { checkVariables } from './validation/variable-checks';
import type { ValidateOptions, ValidationResult } from './types';

function list(names: string[], lang: 'es' | 'en'): string {
  const quoted = names.map((n) => (lang === 'es' ? `«${n}»` : `“${n}”`));
  if (quoted.length < 2) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${lang === 'es' ? 'y' : 'and'} ${quoted[quoted.length - 1]}`;
}

function checkCycles(model: FlowModel, problems: ProblemCollector): void {
  const graphNodes = model.nodes.filter((n): n is NodeInfo & { id: string } => n.inGraph && n.id !== undefined);
  const edges = traversableEdges(model).map((e) => ({
    id: `#${e.index}`,
    source: e.source,
    target: e.target,
    branch: e.sourceHandle ?? '',
  }));
  const cycles = findSpinningCycles(
    graphNodes.map((n) => ({ id: n.id, type: n.type, waits: n.waits, data: n.data, writes: n.writes })),
    edges,
  );
  for (const ids of cycles) {
    const names = ids.map((id) => model.byId.get(id)?.name ?? id);
    problems.add('flow.spinning_cycle', { pathEs: list(names, 'es'), pathEn: list(names, 'en') }, { nodeId: ids[0], nodeIds: ids });
  }
}

export function validateFlow(flow: unknown, options: ValidateOptions = {}): ValidationResult {
  const problems = new ProblemCollector(options.locale === 'en' ? 'en' : 'es');
  try {
    const model = readFlow(flow, problems);
    if (model.readable) {
      for (const node of model.nodes) checkNodeData(node, problems, options);
      if (model.edgesReadable) checkGraph(model, problems);
      checkVariables(model, problems);
      if (model.edgesReadable) checkCycles(model, problems);
    }
  } catch (err) {
    // Safety net: a validator bug must not turn into a 500; it becomes a problem instead.
    problems.add('flow.validation_failed', { detail: err instanceof Error ? err.message : String(err) });
  }
  return problems.result();
}
