import { proxyLocalActivities } from '@temporalio/workflow';
import type { CustomActivityInput, FlowActivities } from '../../contracts/activities';

/**
 * Activity stubs with retry policies suited to each kind of far side. Errors a retry cannot fix
 * come back as non-retryable ApplicationFailures from the activity itself.
 *
 * Node activities run as local activities: the worker executes them inside the workflow task, so a
 * chat turn that classifies and answers costs one round trip to Temporal instead of three (measured
 * on the dev server: p50 19 ms against 55-90 ms per turn with one regular activity). Their results
 * are recorded in the history as markers, with the same retry policies; long backoffs become timers.
 */
export const ai = proxyLocalActivities<Pick<FlowActivities, 'aiClassify' | 'aiSentiment' | 'aiReply' | 'aiSummarize'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 4 },
});

export const crm = proxyLocalActivities<Pick<FlowActivities, 'crmLookup' | 'crmUpdate' | 'crmTicket'>>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 6 },
});

export const channels = proxyLocalActivities<Pick<FlowActivities, 'notify'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export const scoring = proxyLocalActivities<Pick<FlowActivities, 'scoreChurn' | 'loadFlowVersion'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** The HTTP node sets its own timeout; the activity gets a little more to report it. */
export function httpActivity(timeoutMs: number) {
  return proxyLocalActivities<Pick<FlowActivities, 'httpRequest'>>({
    startToCloseTimeout: timeoutMs + 5_000,
    retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 3 },
  }).httpRequest;
}

/** Custom activities are registered by the worker as `custom.<name>`. */
export function customActivity(name: string) {
  const stubs = proxyLocalActivities<Record<string, (input: CustomActivityInput) => Promise<unknown>>>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
  });
  return stubs[`custom.${name}`];
}
