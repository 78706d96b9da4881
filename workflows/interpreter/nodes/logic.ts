import { proxyLocalActivities } from '@temporalio/workflow';
import type { ExperimentActivities } from '../../../contracts/activities';
import { cloneJson } from '../clone';
import { parseDuration } from '../../language/duration';
import { parseIsoDate } from '../../language/iso-date';
import { evaluateCondition, evaluateRule } from '../../language/rules';
import type {
  AbSplitData,
  ConditionData,
  DelayData,
  EndData,
  GoalData,
  PersonalizeData,
  SetVariablesData,
  SwitchData,
} from '../../language';
import { pickVariant, stableUnit, stableUnitV1 } from '../hash';
import { deliver } from './conversation';
import { NodeError } from '../run';
import type { NodeHandler } from './types';

export const start: NodeHandler = () => ({ branch: 'next' });

export const condition: NodeHandler<ConditionData> = (node, run) => {
  const result = safeCondition(node.id, run.label(node), () => evaluateCondition(node.data.rule, run.scope()));
  return { branch: result ? 'true' : 'false', output: { result } };
};

export const switchNode: NodeHandler<SwitchData> = (node, run) => {
  const scope = run.scope();
  for (const c of node.data.cases) {
    if (safeCondition(node.id, run.label(node), () => evaluateCondition(c.rule, scope))) return { branch: c.id, output: { case: c.id } };
  }
  return { branch: 'default', output: { case: 'default' } };
};

export const setVariables: NodeHandler<SetVariablesData> = (node, run) => {
  const assigned: Record<string, unknown> = {};
  for (const a of node.data.assignments) {
    let value: unknown;
    if (a.template !== undefined) value = run.render(node, a.template, `assignments.${a.variable}`);
    else if (a.rule !== undefined) value = safeCondition(node.id, run.label(node), () => evaluateRule(a.rule, run.scope()));
    else value = cloneJson(a.value);
    // Each assignment sees the ones before it.
    run.vars[a.variable] = value;
    assigned[a.variable] = value;
  }
  return { branch: 'next', output: assigned };
};

export const delay: NodeHandler<DelayData> = async (node, run, resume) => {
  let deadline = resume?.deadline;
  if (deadline === undefined) {
    if (node.data.duration) deadline = run.now() + parseDuration(node.data.duration);
    else {
      const rendered = run.render(node, node.data.until ?? '', 'until');
      const at = parseIsoDate(rendered.trim());
      if (at === null) throw new NodeError(node.id, `Node ${run.label(node)}: "until" rendered "${rendered}", which is not an ISO date`);
      deadline = at;
    }
  }
  // Messages typed during a long pause are not answers to whatever the flow asks next.
  run.inbox.length = 0;
  await run.waitUntil('timer', () => false, deadline);
  return { branch: 'next', output: { waitedUntil: new Date(deadline).toISOString() } };
};

/** The adaptive split's assignment (activities/experiments): the first assignment per customer wins. */
const experiments = proxyLocalActivities<ExperimentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '5 seconds', maximumAttempts: 3 },
});

export const abSplit: NodeHandler<AbSplitData> = (node, run) => {
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
    return experiments
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
      .then((variant) => expose(variant, true));
  }
  return expose(byHash(), false);
};

export const goal: NodeHandler<GoalData> = (node, run) => {
  const data = { goal: node.data.goal, ...(node.data.value !== undefined ? { value: node.data.value } : {}), experiments: { ...run.experiments } };
  run.emit('goal', node.id, data);
  return { branch: 'next', output: data };
};

export const personalize: NodeHandler<PersonalizeData> = (node, run) => {
  const now = run.now();
  const scope = run.scope();
  const candidates = node.data.rules
    .filter((r) => (r.activeFrom === undefined || (parseIsoDate(r.activeFrom) ?? 0) <= now) && (r.activeTo === undefined || now < (parseIsoDate(r.activeTo) ?? Infinity)))
    .sort((a, b) => b.priority - a.priority);
  for (const r of candidates) {
    if (!safeCondition(node.id, run.label(node), () => evaluateCondition(r.condition, scope))) continue;
    const content = r.action.content !== undefined ? run.render(node, r.action.content, `rules.${r.id}.action.content`) : undefined;
    for (const [name, value] of Object.entries(r.action.variables ?? {})) run.vars[name] = cloneJson(value);
    const output = { ruleId: r.id, ...(content !== undefined ? { content } : {}), ...(r.action.offer ? { offer: r.action.offer } : {}) };
    run.emit('personalize.matched', node.id, { ruleId: r.id, ...(r.action.offer ? { offer: r.action.offer } : {}) });
    return { branch: 'matched', output };
  }
  return { branch: 'noMatch', output: { ruleId: null } };
};

export const end: NodeHandler<EndData> = (node, run) => {
  const delivering = node.data.message ? deliver(run, node, run.render(node, node.data.message, 'message'), undefined, { patch: run.patches.deliverAllTexts }) : undefined;
  const ended = () => {
    run.outcome = node.data.outcome;
    return { branch: null, output: { outcome: node.data.outcome } };
  };
  return delivering ? delivering.then(ended) : ended();
};

function safeCondition<T>(nodeId: string, label: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (err) {
    throw new NodeError(nodeId, `Node ${label}: the rule failed: ${(err as Error).message}`, err);
  }
}
