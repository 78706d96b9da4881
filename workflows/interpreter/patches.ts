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
  /**
   * The last run events and the run index row are written by local activities in the closing
   * workflow task, instead of two activity tasks and one more workflow task per run.
   */
  finishWithLocalActivities: boolean;
}

/** Everything up to and including finishWithLocalActivities, behind one marker. */
const BASELINE_1: Patches = {
  sharedIdleFlushTimer: true,
  loadCustomerAtStart: true,
  abSplitMixedHash: true,
  abSplitAdaptive: true,
  statusOnlyWhenIndexed: true,
  deliverAllTexts: true,
  finishWithLocalActivities: true,
};

/** What runs recorded before baseline 1 decided, marker by marker, in their order. */
function beforeBaseline1(): Patches {
  return {
    sharedIdleFlushTimer: patched('shared-idle-flush-timer'),
    loadCustomerAtStart: patched('load-customer-at-start'),
    abSplitMixedHash: patched('ab-split-mixed-hash'),
    abSplitAdaptive: patched('ab-split-adaptive'),
    statusOnlyWhenIndexed: patched('status-search-attribute-only-when-indexed'),
    deliverAllTexts: patched('deliver-end-ai-escalation-texts'),
    // New with baseline 1: no run recorded before it has this marker.
    finishWithLocalActivities: false,
  };
}

/**
 * Runs started since baseline 1 record one marker that stands for every change up to it: each
 * marker also upserts the TemporalChangeVersion search attribute, so seven markers cost fourteen
 * history events and seven search-attribute upserts per run. Runs recorded before it have no such
 * marker (patched() is false on their replay) and decide marker by marker, as they recorded.
 * Later patches go after the baseline, each with its own patched() call, in order.
 */
export function decidePatches(): Patches {
  return { ...(patched('interpreter-baseline-1') ? BASELINE_1 : beforeBaseline1()) };
}

/**
 * flowRunV2 (engine.ts) starts with every change above and records no marker at all. A change to
 * what it emits later needs its own patched() call, decided here in order, as above.
 */
export const CURRENT_PATCHES: Readonly<Patches> = BASELINE_1;
