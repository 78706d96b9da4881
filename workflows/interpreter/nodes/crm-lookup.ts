import { crm } from '../activities';
import { callActivity } from './helpers/call';
import { customerScope } from './helpers/customer';
import type { HandlerOf } from './types';

export const crmLookup: HandlerOf<'crm.lookup'> = async (node, run) => {
  const value = run.render(node, node.data.value, 'value').trim();
  const r = await callActivity(run, node, () => crm.crmLookup({ ctx: run.activityContext(node), by: node.data.by, value }));
  if (!r.ok || !r.value.found || !r.value.customer) return { branch: 'notFound', output: { found: false } };
  run.customer = customerScope(r.value.customer);
  return { branch: 'found', output: { found: true, customer: r.value.customer } };
};
