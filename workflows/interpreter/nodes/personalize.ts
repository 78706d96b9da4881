import { cloneJson } from '../clone';
import { parseIsoDate } from '../../language/iso-date';
import { evaluateCondition } from '../../language/rules';
import { safeCondition } from './helpers/safe-condition';
import type { HandlerOf } from './types';

export const personalize: HandlerOf<'personalize'> = (node, run) => {
  const now = run.now();
  const scope = run.scope();
  const candidates = node.data.rules
    .filter(
      (r) =>
        (r.activeFrom === undefined || (parseIsoDate(r.activeFrom) ?? 0) <= now) && (r.activeTo === undefined || now < (parseIsoDate(r.activeTo) ?? Infinity)),
    )
    .sort((a, b) => b.priority - a.priority);
  for (const r of candidates) {
    if (!safeCondition(node.id, run.label(node), () => evaluateCondition(r.condition, scope))) continue;
    const content = r.action.content !== undefined ? run.render(node, r.action.content, `rules.${r.id}.action.content`) : undefined;
    for (const [name, value] of Object.entries(r.action.variables ?? {})) run.vars[name] = cloneJson(value);
    const output = { ruleId: r.id, ...(content !== undefined ? { content } : {}), ...(r.action.offer ? { offer: r.action.offer } : {}) };
    run.emit('personalize.matched', node.id, { ruleId: r.id, ...(r.action.offer ? { offer: r.action.offer } : {}) });
    return { branch: 'matched', output };
  }
  return { branch: 'noMatch', output: { ruleId: null } };
};
