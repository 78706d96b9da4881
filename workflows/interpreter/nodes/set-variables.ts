import { evaluateRule } from '../../language/rules';
import { cloneJson } from '../clone';
import { safeCondition } from './helpers/safe-condition';
import type { HandlerOf } from './types';

export const setVariables: HandlerOf<'setVariables'> = (node, run) => {
  const assigned: Record<string, unknown> = {};
  for (const a of node.data.assignments) {
    let value: unknown;
    if (a.template !== undefined) value = run.render(node, a.template, `assignments.${a.variable}`);
    else if (a.rule !== undefined) value = safeCondition(node.id, run.label(node), () => evaluateRule(a.rule, run.scope()));
    else value = cloneJson(a.value);
    // Each assignment sees the ones before it.
    run.vars[a.variable] = value;
    assigned[a.variable] = value;
  }
  return { branch: 'next', output: assigned };
};
