import { evaluateCondition } from '../../language/rules';
import { safeCondition } from './helpers/safe-condition';
import type { HandlerOf } from './types';

export const condition: HandlerOf<'condition'> = (node, run) => {
  const result = safeCondition(node.id, run.label(node), () => evaluateCondition(node.data.rule, run.scope()));
  return { branch: result ? 'true' : 'false', output: { result } };
};
