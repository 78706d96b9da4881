import { ApplicationFailure } from '@temporalio/workflow';
import { parseDuration } from '../../language/duration';
import type { FlowNode } from '../../language';
import type { EscalateData } from '../../language/nodes/escalate';
import { ai, channels } from '../activities';
import type { Run } from '../run';
import type { BusinessEvent, ResumePoint } from '../../../contracts/run';
import { callActivity } from './helpers/call';
import { deliver } from './helpers/deliver';
import type { HandlerOf, NodeResult } from './types';

const isAgentEvent = (type: string) => (e: BusinessEvent) => e.type === type;

/** Tells the customer where the ladder is, on the run's channel. Best effort, like the alerts: a notice
 * that cannot be sent (email/SMS/WhatsApp) must not stop the escalation. */
function tell(run: Run, node: FlowNode<EscalateData>, text: string, from: 'bot' | 'system' = 'bot'): Promise<void> {
  return Promise.resolve(deliver(run, node, text, undefined, { from, patch: run.patches.deliverAllTexts })).catch((err: unknown) =>
    run.emit('escalation.notice_failed', node.id, { message: String((err as Error).message) }),
  );
}

async function alertTier(run: Run, node: FlowNode<EscalateData>, tierIndex: number, summary: string | undefined): Promise<void> {
  const tier = node.data.tiers[tierIndex];
  const subject = `[Cauce] ${tier.queue}: ${run.label(node)}`;
  const link = `run ${run.runId}`;
  const text = [`A customer needs help (${link}), tier ${tierIndex + 1} "${tier.queue}", SLA ${tier.sla}.`, summary ? `\n${summary}` : ''].join('');
  await Promise.all(
    tier.notify.map((n) =>
      // An alert that cannot be sent must not stop the ladder: the SLA still runs and escalates.
      callActivity(run, node, () =>
        channels.notify({
          ctx: { ...run.activityContext(node), idempotencyKey: `${run.activityContext(node).idempotencyKey}:tier${tierIndex}:${n.channel}:${n.to}` },
          channel: n.channel,
          to: run.render(node, n.to, `tiers.${tierIndex}.notify.to`),
          subject,
          text,
          purpose: 'escalation',
        }),
      ).catch((err: unknown) => run.emit('escalation.alert_failed', node.id, { tier: tierIndex, message: String((err as Error).message) })),
    ),
  );
}

/**
 * The escalation ladder: alert a tier and wait for `agent.accepted` up to its SLA, else the next tier;
 * once accepted, relay messages both ways until `agent.resolved` or `agent.returned`; with every tier
 * exhausted, `unresolved`. The customer is told what happens at each step.
 */
export const escalate: HandlerOf<'escalate'> = async (node, run, resume) => {
  const { tiers, messages = {} } = node.data;
  let tierIndex = resume?.escalation?.tier ?? 0;
  let accepted = resume?.escalation?.status === 'accepted' ? resume.escalation : undefined;

  if (!accepted) {
    let summary: string | undefined;
    if (!resume && node.data.includeSummary) {
      const result = await callActivity(run, node, () =>
        ai.aiSummarize({ ctx: run.activityContext(node), conversation: run.transcript.slice(-30), locale: run.locale }),
      ).catch(() => ({ ok: false as const, error: 'summary failed' }));
      if (result.ok) {
        summary = result.value.summary;
        // Its tokens count in cost per interaction like every other LLM call of the run.
        run.emit('ai.summary', node.id, { engine: result.value.engine, ...(result.value.usage ? { usage: result.value.usage } : {}) });
      }
    }
    if (!resume) await tell(run, node, run.text('escalationWaiting', node, messages.waiting));
    for (; tierIndex < tiers.length; tierIndex++) {
      const tier = tiers[tierIndex];
      const resuming = resume?.escalation && resume.escalation.tier === tierIndex;
      const deadline = resuming && resume?.deadline ? resume.deadline : run.now() + parseDuration(tier.sla);
      run.escalation = { nodeId: node.id, tier: tierIndex, queue: tier.queue, status: 'waiting', since: run.nowIso() };
      if (!resuming) {
        if (tierIndex > 0) await tell(run, node, run.text('escalationNextTier', node, messages.nextTier, { tier: tierIndex + 1, queue: tier.queue }));
        run.emit('escalation.tier', node.id, { tier: tierIndex, queue: tier.queue, sla: tier.sla });
        await alertTier(run, node, tierIndex, summary);
      }
      let event: BusinessEvent | undefined;
      // `??=`: the check may run again before the wait returns (Run.idle() for a chat turn in flight);
      // an acceptance it took must not be overwritten, or the ladder escalates past an accepted tier.
      await run.waitUntil('agent', () => (event ??= run.takeEvent(isAgentEvent('agent.accepted'))) !== undefined, deadline);
      if (event) {
        const agent = String(event.data?.agent ?? event.data?.name ?? 'Agent');
        accepted = { nodeId: node.id, tier: tierIndex, queue: tier.queue, status: 'accepted', agent, since: run.nowIso() };
        run.escalation = accepted;
        // Readable by the customer-facing texts of this node from now on.
        run.outputs[node.id] = { output: { outcome: 'accepted', tier: tierIndex, agent: { name: agent } } };
        run.emit('escalation.accepted', node.id, { tier: tierIndex, queue: tier.queue, agent });
        await tell(run, node, run.text('escalationAccepted', node, messages.accepted, { agent }), 'system');
        break;
      }
      run.emit('escalation.sla_missed', node.id, { tier: tierIndex, queue: tier.queue });
    }
    if (!accepted) {
      run.escalation = undefined;
      run.emit('escalation.unresolved', node.id, { tiers: tiers.length });
      await tell(run, node, run.text('escalationUnresolved', node, messages.unresolved));
      return { branch: 'unresolved', output: { outcome: 'unresolved', tier: null, agent: null } };
    }
  }

  return relay(run, node, accepted, resume);
};

/** The agent conversation: the customer's messages reach the agent (in the run's transcript and state), and back. */
async function relay(run: Run, node: FlowNode<EscalateData>, accepted: NonNullable<ResumePoint['escalation']>, resume?: ResumePoint): Promise<NodeResult> {
  const messages = node.data.messages ?? {};
  const deadline = resume?.deadline ?? (node.data.maxConversation ? run.now() + parseDuration(node.data.maxConversation) : undefined);
  const closing = (e: BusinessEvent) => e.type === 'agent.resolved' || e.type === 'agent.returned';
  for (;;) {
    // Agent messages are already in the transcript (they come in through the same Update); customer
    // messages are consumed here so a later `ask` does not take them as answers.
    run.agentInbox.length = 0;
    if (run.inbox.length) {
      run.emit('escalation.relayed', node.id, { count: run.inbox.length });
      run.inbox.length = 0;
    }
    if (run.shouldContinueAsNew()) {
      return { branch: null, continueAsNew: { nodeId: node.id, escalation: accepted, ...(deadline !== undefined ? { deadline } : {}) } };
    }
    let closed: BusinessEvent | undefined;
    const woke = await run.waitUntil(
      'agent',
      // `??=` as above: a resolve/return taken by an earlier call of this check must not be dropped.
      () => (closed ??= run.takeEvent(closing)) !== undefined || run.inbox.length > 0 || run.agentInbox.length > 0,
      deadline,
    );
    if (!woke) {
      run.escalation = undefined;
      run.emit('escalation.unresolved', node.id, { reason: 'maxConversation' });
      await tell(run, node, run.text('escalationUnresolved', node, messages.unresolved));
      return { branch: 'unresolved', output: { outcome: 'unresolved', tier: accepted.tier, agent: { name: accepted.agent } } };
    }
    if (!closed) continue;
    const outcome = closed.type === 'agent.resolved' ? 'resolved' : 'returned';
    run.escalation = undefined;
    run.emit(`escalation.${outcome}`, node.id, { tier: accepted.tier, agent: accepted.agent, minutes: minutesSince(run, accepted.since) });
    await tell(
      run,
      node,
      run.text(outcome === 'resolved' ? 'escalationResolved' : 'escalationReturned', node, outcome === 'resolved' ? messages.resolved : messages.returned, {
        agent: accepted.agent,
      }),
      'system',
    );
    return { branch: outcome, output: { outcome, tier: accepted.tier, agent: { name: accepted.agent } } };
  }
}

function minutesSince(run: Run, iso: string): number {
  const ms = run.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) throw ApplicationFailure.nonRetryable(`bad escalation timestamp ${iso}`);
  return Math.round((ms / 60_000) * 100) / 100;
}
