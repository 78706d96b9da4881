import { BadRequestException } from '@nestjs/common';
import { FLOW_RUN_WORKFLOW_TYPES } from '../../../contracts/run-wire';
import { defaultPayloadConverter, type Payload, type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { CAUCE_SEARCH_ATTRIBUTE_KEYS, readRunAttributes, SA_CUSTOMER_ID, SA_FLOW_ID, SA_FLOW_VERSION } from '../../../contracts/search-attributes';

export const RUN_STATUS_FILTERS = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export type RunStatusFilter = (typeof RUN_STATUS_FILTERS)[number];

/** Temporal's ExecutionStatus for each status filter. */
const EXECUTION_STATUS: Record<RunStatusFilter, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
};

export interface RunListFilters {
  flowId?: string;
  version?: number;
  customerId?: string;
  status?: RunStatusFilter;
  startedAfter?: string;
  startedBefore?: string;
  /** The key's flow scope: null for every flow. */
  scope: string[] | null;
}

/** A string literal of Temporal's visibility query language. */
export function quote(value: string): string {
  if (/[\u0000-\u001f]/.test(value)) throw new BadRequestException('filter values must not contain control characters');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The visibility query of GET /runs: flow runs of both workflow types (continued-as-new executions
 * collapse into their latest), filtered by Cauce's search attributes. A status is Temporal's
 * execution status: a run that completes, fails or is cancelled closes its workflow the same way
 * (flowRunWorkflow also records CauceStatus, always equal; flowRunV2 records none).
 */
export function visibilityQuery(f: RunListFilters): string {
  const parts = [`WorkflowType IN (${FLOW_RUN_WORKFLOW_TYPES.map(quote).join(', ')})`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (f.scope) parts.push(f.scope.length ? `${SA_FLOW_ID.name} IN (${f.scope.map(quote).join(', ')})` : `${SA_FLOW_ID.name} = 'none'`);
  if (f.flowId) parts.push(`${SA_FLOW_ID.name} = ${quote(f.flowId)}`);
  if (f.version !== undefined) parts.push(`${SA_FLOW_VERSION.name} = ${Math.trunc(f.version)}`);
  if (f.customerId) parts.push(`${SA_CUSTOMER_ID.name} = ${quote(f.customerId)}`);
  switch (f.status) {
    case undefined:
      break;
    default:
      parts.push(`ExecutionStatus = ${quote(EXECUTION_STATUS[f.status])}`);
  }
  if (f.startedAfter) parts.push(`StartTime >= ${quote(new Date(f.startedAfter).toISOString())}`);
  if (f.startedBefore) parts.push(`StartTime < ${quote(new Date(f.startedBefore).toISOString())}`);
  return parts.join(' AND ');
}

/**
 * Cauce's attributes of one execution of a raw listing (`listWorkflowExecutions`), decoded with the
 * public payload converter: Temporal sends search attributes as JSON payloads, and the SDK's own
 * decoder is internal (`@temporalio/common/lib/...`), which may move in any release.
 */
export function listedRunAttributes(indexedFields: Record<string, unknown> | null | undefined): ReturnType<typeof readRunAttributes> {
  const pairs: SearchAttributePair[] = [];
  for (const key of CAUCE_SEARCH_ATTRIBUTE_KEYS) {
    const payload = indexedFields?.[key.name] as Payload | undefined;
    if (!payload?.data) continue;
    try {
      const value = defaultPayloadConverter.fromPayload<unknown>(payload);
      // A keyword may come as a one-element list from some servers.
      const one = Array.isArray(value) ? value[0] : value;
      if (one !== null && one !== undefined) pairs.push({ key, value: one } as SearchAttributePair);
    } catch {
      // An attribute this version cannot read is left out, as a missing one would be.
    }
  }
  return readRunAttributes(new TypedSearchAttributes(pairs));
}

/** A protobuf Timestamp as a Date (seconds may be a Long). */
export function dateOfTimestamp(ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): Date | undefined {
  if (!ts) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000));
}
