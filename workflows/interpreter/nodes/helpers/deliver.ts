import type { FlowNode } from '../../../language';
import { channels } from '../../activities';
import type { Run } from '../../run';
import { callActivity } from './call';

/**
 * Says `text` to the customer. On chat, messages go back through the Update; on other channels they
 * are delivered by notify. Every customer-facing text goes through here (message, ask, csat, end,
 * ai.reply, escalate), or email/SMS/WhatsApp customers never receive it.
 *
 * Returns a promise only when there is something to wait for (a notify off chat): on chat it is
 * synchronous, which spares the chat turn promises (each costs a stack capture in the SDK's hook).
 */
export function deliver(
  run: Run,
  node: FlowNode,
  text: string,
  buttons?: { label: string; value: string }[],
  options: { from?: 'bot' | 'system'; patch?: boolean } = {},
): Promise<void> | undefined {
  run.conversation.say(node.id, text, { buttons, from: options.from ?? 'bot' });
  const channel = (node.data as { channel?: string }).channel ?? run.input.channel ?? 'chat';
  if (channel === 'chat') return undefined;
  // Call sites that used to only write the transcript pass a patch id, so runs recorded before they
  // delivered replay without the new notify (asked only off chat: chat histories stay unchanged).
  if (options.patch === false) return undefined;
  const to = String(
    (run.customer as Record<string, unknown> | null)?.[channel === 'email' ? 'email' : 'phone'] ??
      run.input.input?.[channel === 'email' ? 'email' : 'phone'] ??
      '',
  );
  if (!to) return undefined;
  return callActivity(run, node, () =>
    channels.notify({ ctx: run.activityContext(node), channel: channel as 'email' | 'sms' | 'whatsapp', to, text, purpose: 'message' }),
  ).then(() => undefined);
}
