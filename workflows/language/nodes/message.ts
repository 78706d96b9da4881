import { z } from 'zod';
import { baseFields, MESSAGE_CHANNELS, template } from './fields';
import { defineNode } from './define';

export const messageDataSchema = z.object({
  ...baseFields,
  text: template('Message text (Liquid), e.g. "Hola {{ customer.name }}"').min(1),
  buttons: z
    .array(
      z.object({
        label: template('Button caption shown to the customer').min(1),
        value: z.string().min(1).max(200).describe('Text sent back as the customer reply when pressed'),
      }),
    )
    .max(10)
    .optional()
    .describe('Quick-reply buttons (the next ask receives the value)'),
  channel: z.enum(MESSAGE_CHANNELS).optional().describe("Channel to send on; defaults to the run's channel"),
});
export type MessageData = z.infer<typeof messageDataSchema>;

export const messageNode = defineNode({
  type: 'message',
  title: { es: 'Mensaje', en: 'Message' },
  description: {
    es: 'Envía un mensaje con plantilla Liquid por el canal del run (chat, email, SMS, WhatsApp).',
    en: "Sends a Liquid-templated message on the run's channel (chat, email, SMS, WhatsApp).",
  },
  category: 'conversation',
  data: messageDataSchema,
  defaultData: { text: '¡Hola {{ customer.name }}!' },
  branches: () => ['next'],
  waits: false,
  outputDescription: { es: '{ text }: el texto enviado.', en: '{ text }: the text sent.' },
});
