import { proxyLocalActivities } from '@temporalio/workflow';
import type { ExperimentActivities } from '../../../contracts/activities';
import { pickVariant, stableUnit, stableUnitV1 } from '../hash';
import type { HandlerOf } from './types';

/** The adaptive split's assignment (activities/experiments): the first assignment per customer wins. */
const experiments = proxyLocalActivities<ExperimentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '5 seconds', maximumAttempts: 3 },
});
export const abSplit: HandlerOf<'abSplit'> = (node, run) => {
  const { experiment, variants } = node.data;
  const subject = run.input.customerId ?? run.runId;
  const byHash = () => {
    const unit = run.patches.abSplitMixedHash ? stableUnit(experiment, subject) : stableUnitV1(experiment, subject);
    return pickVariant(variants, unit).id;
  };
  const expose = (variant: string, adaptive: boolean) => {
    run.experiments[experiment] = variant;
    run.emit('experiment.exposure', node.id, adaptive ? { experiment, variant, adaptive: true } : { experiment, variant });
    return { branch: variant, output: { variant } };
  };
  // Adaptive (Thompson sampling) splits of published runs ask the assignment activity; test runs of
  // drafts and runs recorded before it keep the stable hash. Non-adaptive splits are unchanged.
  if (node.data.adaptive && !run.input.test && run.patches.abSplitAdaptive) {
    return (
      experiments
        .assignExperimentVariant({
          ctx: run.activityContext(node),
          flowId: run.input.flowId,
          experiment,
          subject,
          variants: variants.map((v) => ({ id: v.id, weight: v.weight })),
        })
        .then((r) => (variants.some((v) => v.id === r.variant) ? r.variant : byHash()))
        // The database unreachable after the retries: the stable hash still splits the traffic.
        .catch(() => byHash())
        .then((variant) => expose(variant, true))
    );
  }
  return expose(byHash(), false);
};
