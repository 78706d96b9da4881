import { defineSearchAttributeKey, SearchAttributePair, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

/**
 * Cauce's custom search attributes, defined once: the API starts runs with them and lists runs by
 * them, the workflow updates the status, the reconciler reads them back, and libs/runtime registers
 * them on the dev server (or on a cluster that lacks them). Renaming one hides every recorded run.
 */
export const SA_FLOW_ID = defineSearchAttributeKey('CauceFlowId', SearchAttributeType.KEYWORD);
export const SA_FLOW_VERSION = defineSearchAttributeKey('CauceFlowVersion', SearchAttributeType.INT);
export const SA_CUSTOMER_ID = defineSearchAttributeKey('CauceCustomerId', SearchAttributeType.KEYWORD);
/** The run's Cauce status (running until the workflow records how it finished). */
export const SA_STATUS = defineSearchAttributeKey('CauceStatus', SearchAttributeType.KEYWORD);

export const CAUCE_SEARCH_ATTRIBUTE_KEYS = [SA_FLOW_ID, SA_FLOW_VERSION, SA_CUSTOMER_ID, SA_STATUS] as const;

/** The attributes a run starts with: the workflow updates CauceStatus when it finishes. */
export function runSearchAttributes(run: { flowId: string; version: number; customerId?: string | null }): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: SA_FLOW_ID, value: run.flowId },
    { key: SA_FLOW_VERSION, value: run.version },
    { key: SA_STATUS, value: 'running' },
  ];
  if (run.customerId) pairs.push({ key: SA_CUSTOMER_ID, value: run.customerId });
  return pairs;
}

export function readRunAttributes(attrs: TypedSearchAttributes): { flowId?: string; version?: number; customerId?: string; status?: string } {
  return {
    flowId: attrs.get(SA_FLOW_ID),
    version: attrs.get(SA_FLOW_VERSION),
    customerId: attrs.get(SA_CUSTOMER_ID),
    status: attrs.get(SA_STATUS),
  };
}
