import { z } from 'zod';
import { ALERT_CHANNELS, baseFields, template } from './fields';
import { defineNode } from './define';

export const notifyDataSchema = z.object({
  ...baseFields,
  channel: z.enum([...ALERT_CHANNELS, 'whatsapp']).describe('Notification channel'),
  to: template('Recipient: address, phone, Slack channel or URL (Liquid)').min(1),
  subject: template('Subject (email) (Liquid)').optional(),
  text: template('Notification text (Liquid)').min(1),
});
export type NotifyData = z.infer<typeof notifyDataSchema>;

export const notifyNode = defineNode({
  type: 'notify',
  title: { es: 'Notificar al equipo', en: 'Notify the team' },
  description: {
    es: 'Envía una notificación interna: email, SMS, Slack, webhook o WhatsApp.',
    en: 'Sends an internal notification: email, SMS, Slack, webhook or WhatsApp.',
  },
  category: 'notify',
  data: notifyDataSchema,
  defaultData: { channel: 'email', to: 'equipo@example.com', text: 'Nuevo caso de {{ customer.name }}' },
  branches: () => ['next', 'error'],
  waits: false,
  outputDescription: { es: '{ id }: el id en la bandeja de salida.', en: '{ id }: the outbox id.' },
});
