import type { CustomActivityData } from '../../language/nodes/custom-activity';
import { customActivity } from '../activities';
import { callActivity } from './helpers/call';
import type { NodeHandler } from './types';

/** A developer's activity (`activity:<name>`): input templates rendered, `ok` or `error`. */
export const custom: NodeHandler<CustomActivityData> = async (node, run) => {
  const name = node.type.slice('activity:'.length);
  // String inputs are templates; other JSON values pass through as they are.
  const input = Object.fromEntries(Object.entries(node.data.input ?? {}).map(([k, v]) => [k, typeof v === 'string' ? run.render(node, v, `input.${k}`) : v]));
  const r = await callActivity(run, node, () => customActivity(name)({ ctx: run.activityContext(node), input }));
  if (!r.ok) return { branch: 'error', output: { error: r.error } };
  return { branch: 'ok', output: r.value };
};
