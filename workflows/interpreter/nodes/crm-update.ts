import { crm } from '../activities';
import { callActivity } from './helpers/call';
import { customerIdOf, customerScope } from './helpers/customer';
import type { HandlerOf } from './types';

export const crmUpdate: HandlerOf<'crm.update'> = async (node, run) => {
  const fields = Object.fromEntries(Object.entries(node.data.fields ?? {}).map(([k, t]) => [k, run.render(node, t, `fields.${k}`)]));
  const r = await callActivity(run, node, () =>
    crm.crmUpdate({
      ctx: run.activityContext(node),
      customerId: customerIdOf(run, node),
      fields,
      ...(node.data.addTags ? { addTags: node.data.addTags } : {}),
      ...(node.data.removeTags ? { removeTags: node.data.removeTags } : {}),
    }),
  );
  if (r.ok) run.customer = customerScope(r.value.customer);
  return { branch: 'next', output: r.ok ? { updated: true } : { updated: false, error: r.error } };
};
