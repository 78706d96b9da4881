import { crm } from '../activities';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const crmTicket: HandlerOf<'crm.ticket'> = async (node, run) => {
  const subject = run.render(node, node.data.subject, 'subject');
  const description = node.data.description !== undefined ? run.render(node, node.data.description, 'description') : undefined;
  const customerId = (run.customer?.id as string | undefined) ?? run.input.customerId;
  const r = await callActivity(run, node, () =>
    crm.crmTicket({
      ctx: run.activityContext(node),
      ...(customerId ? { customerId } : {}),
      subject,
      ...(description !== undefined ? { description } : {}),
      priority: node.data.priority,
    }),
  );
  if (r.ok) run.emit('ticket.created', node.id, { ticketId: r.value.ticketId });
  return { branch: 'next', output: r.ok ? { ticketId: r.value.ticketId } : { ticketId: null, error: r.error } };
};
