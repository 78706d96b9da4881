import type { CustomerRecord } from '../../../../contracts/activities';
import type { FlowNode } from '../../../language';
import { NodeError } from '../../node-error';
import type { Run } from '../../run';

/**
 * The customer as rules and templates read it. The CRM keeps custom fields under `attributes`, while
 * flows read them as `customer.tier` or `customer.lastPurchaseAt` (the node defaults and the seed
 * journeys do), so the attributes are also exposed at the top level. The record's own fields (`id`,
 * `name`, `email`, `phone`, `tags`, `attributes`) win on a clash; `customer.attributes.X` still works.
 */
export function customerScope(record: CustomerRecord): Record<string, unknown> {
  return { ...(record.attributes ?? {}), ...record };
}

/** The customer a CRM node acts on: the one looked up, else the run's. */
export function customerIdOf(run: Run, node: FlowNode): string {
  const id = (run.customer?.id as string | undefined) ?? run.input.customerId;
  if (!id) throw new NodeError(node.id, `Node ${run.label(node)} needs a customer: start the run with a customerId or look the customer up first`);
  return id;
}
