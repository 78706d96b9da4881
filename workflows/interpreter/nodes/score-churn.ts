import { evaluateRule } from '../../language/rules';
import { scoring } from '../activities';
import { NodeError } from '../node-error';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const scoreChurn: HandlerOf<'score.churn'> = async (node, run) => {
  const variable = node.data.variable ?? 'churnScore';
  const scope = run.scope();
  const features: Record<string, unknown> = { ...((run.customer?.attributes as Record<string, unknown> | undefined) ?? {}) };
  for (const [name, rule] of Object.entries(node.data.features ?? {})) {
    try {
      features[name] = evaluateRule(rule, scope);
    } catch (err) {
      throw new NodeError(node.id, `Node ${run.label(node)}: feature "${name}" failed: ${(err as Error).message}`, err);
    }
  }
  const r = await callActivity(run, node, () => scoring.scoreChurn({ ctx: run.activityContext(node), features }));
  if (!r.ok) return { branch: 'next', output: { score: null, error: r.error } };
  run.vars[variable] = r.value.score;
  run.emit('score.churn', node.id, { score: r.value.score });
  return { branch: 'next', output: r.value };
};
