import { patched } from '@temporalio/workflow';

/**
 * Every change to what the interpreter emits, decided once at the start of each execution, in this
 * fixed order. Runs recorded before a change replay with its flag false (the marker is absent);
 * deciding up front keeps the patch markers ahead of every command, so no marker lands between a
 * local activity and the node that follows it. Append new patches at the end; never reorder.
 */
export interface Patches {
  sharedIdleFlushTimer: boolean;
  loadCustomerAtStart: boolean;
  abSplitMixedHash: boolean;
  abSplitAdaptive: boolean;
  statusOnlyWhenIndexed: boolean;
  deliverAllTexts: boolean;
}

export function decidePatches(): Patches {
  return {
    sharedIdleFlushTimer: patched('shared-idle-flush-timer'),
    loadCustomerAtStart: patched('load-customer-at-start'),
    abSplitMixedHash: patched('ab-split-mixed-hash'),
    abSplitAdaptive: patched('ab-split-adaptive'),
    statusOnlyWhenIndexed: patched('status-search-attribute-only-when-indexed'),
    deliverAllTexts: patched('deliver-end-ai-escalation-texts'),
  };
}
