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

/** Node types that read the run's customer without naming it in their data. */
const READS_CUSTOMER_IMPLICITLY = new Set(['score.churn', 'crm.ticket', 'crm.update']);

/**
 * Whether a run of this flow may read `customer` (flowRunV2 loads it at start only then, sparing the
 * CRM a lookup and the history a marker). Conservative: any node whose data mentions `customer`
 * (templates, rules, personalization), the node types above, and every channel but chat, whose
 * replies go to the customer's email or phone.
 */
export function flowReadsCustomer(nodes: readonly FlowNode[], channel: string | undefined): boolean {
  if (channel !== undefined && channel !== 'chat') return true;
  return nodes.some((n) => READS_CUSTOMER_IMPLICITLY.has(n.type) || JSON.stringify(n.data ?? {}).includes('customer'));
}
