import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const crmTicketDataSchema = z.object({
  ...baseFields,
  subject: template('Ticket subject (Liquid)').min(1),
  description: template('Ticket description (Liquid)').optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).describe('Ticket priority'),
});
export type CrmTicketData = z.infer<typeof crmTicketDataSchema>;

export const crmTicketNode = defineNode({
  type: 'crm.ticket',
  title: { es: 'Abrir ticket', en: 'Open ticket' },
  description: { es: 'Abre un ticket para el cliente.', en: 'Opens a ticket for the customer.' },
  category: 'crm',
  data: crmTicketDataSchema,
  defaultData: { subject: 'Consulta de {{ customer.name }}', priority: 'normal' },
  branches: () => ['next'],
  waits: false,
  outputDescription: { es: '{ ticketId }.', en: '{ ticketId }.' },
});
