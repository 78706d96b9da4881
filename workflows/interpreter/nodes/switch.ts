import { evaluateCondition } from '../../language/rules';
import { safeCondition } from './helpers/safe-condition';
import type { HandlerOf } from './types';

/** The first case whose rule holds, else `default`. */
export const switchNode: HandlerOf<'switch'> = (node, run) => {
  const scope = run.scope();
  for (const c of node.data.cases) {
    if (safeCondition(node.id, run.label(node), () => evaluateCondition(c.rule, scope))) return { branch: c.id, output: { case: c.id } };
  }
  return { branch: 'default', output: { case: 'default' } };
};
