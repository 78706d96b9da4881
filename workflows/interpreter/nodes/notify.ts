import { channels } from '../activities';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const notify: HandlerOf<'notify'> = async (node, run) => {
  const r = await callActivity(run, node, () =>
    channels.notify({
      ctx: run.activityContext(node),
      channel: node.data.channel,
      to: run.render(node, node.data.to, 'to'),
      ...(node.data.subject !== undefined ? { subject: run.render(node, node.data.subject, 'subject') } : {}),
      text: run.render(node, node.data.text, 'text'),
      purpose: 'notify',
    }),
  );
  if (!r.ok) return { branch: 'error', output: { error: r.error } };
  run.emit('notification', node.id, { channel: node.data.channel, status: r.value.status });
  return { branch: 'next', output: r.value };
};
