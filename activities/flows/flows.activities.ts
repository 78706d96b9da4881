import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { LoadFlowVersionInput, LoadFlowVersionOutput } from '../../contracts/activities';
import { FlowRepository, FlowVersionRow } from '../../libs/flows/flow.repository';
import { classifyDbError, invalidInput } from '../errors';

export interface FlowDeps {
  pool: Pool;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `loadFlowVersion`, used by the `subflow` node: a published (immutable) version of a flow, the
 * latest when no version is given. A read, safe to retry; a flow or version that is not published
 * fails non-retryably (the node takes `failed`).
 */
export function createFlowActivities({ pool }: FlowDeps) {
  const flows = new FlowRepository(pool);
  return {
    async loadFlowVersion(input: LoadFlowVersionInput): Promise<LoadFlowVersionOutput> {
      if (typeof input.flowId !== 'string' || !UUID.test(input.flowId)) throw invalidInput(`loadFlowVersion: ${JSON.stringify(input.flowId)} is not a flow id`);
      if (input.version !== undefined && !(Number.isInteger(input.version) && input.version > 0)) {
        throw invalidInput('loadFlowVersion: version must be a positive integer');
      }
      let row: FlowVersionRow | undefined;
      try {
        row = await flows.versionOrLatest(input.flowId, input.version ?? null);
      } catch (err) {
        throw classifyDbError(err, 'loadFlowVersion failed');
      }
      if (!row) {
        const what = input.version ? `version ${input.version} of flow ${input.flowId}` : `flow ${input.flowId}`;
        throw ApplicationFailure.nonRetryable(`${what} is not published`, 'FlowNotPublished');
      }
      return { flowId: row.flowId, version: row.version, definition: row.definition };
    },
  };
}

export type FlowActivitiesImpl = ReturnType<typeof createFlowActivities>;
