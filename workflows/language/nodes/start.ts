import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, cron, eventName, MESSAGE_CHANNELS } from './fields';
import { defineNode } from './define';

export const startDataSchema = z
  .object({
    ...baseFields,
    trigger: z
      .enum(['api', 'event', 'schedule', 'message'])
      .describe('What starts a run: an API call, a business event, a schedule (cron) or an inbound customer message'),
    event: eventName('Business event that starts a run when trigger is "event", e.g. cart_abandoned').optional(),
    cron: cron('5-field cron expression (minute hour day month weekday, UTC) when trigger is "schedule"').optional(),
    allowConcurrent: z.boolean().optional().describe('Allow several open runs of this flow for the same customer (default false)'),
    channel: z.enum(MESSAGE_CHANNELS).optional().describe('Default channel of the run for messages'),
  })
  .superRefine((d, ctx) => {
    if (d.trigger === 'event' && !d.event) {
      addIssue(
        ctx,
        ['event'],
        'Indica el evento que inicia el flujo (por ejemplo cart_abandoned).',
        'Set the event that starts the flow (e.g. cart_abandoned).',
      );
    }
    if (d.trigger === 'schedule' && !d.cron) {
      addIssue(
        ctx,
        ['cron'],
        'Indica la programación (expresión cron de 5 campos, por ejemplo «0 9 * * 1»).',
        'Set the schedule (a 5-field cron expression, e.g. “0 9 * * 1”).',
      );
    }
  }, ALWAYS);
export type StartData = z.infer<typeof startDataSchema>;

export const startNode = defineNode({
  type: 'start',
  title: { es: 'Inicio', en: 'Start' },
  description: {
    es: 'El disparador del flujo: una llamada a la API, un evento de negocio, una programación o un mensaje entrante.',
    en: 'The flow trigger: an API call, a business event, a schedule or an inbound message.',
  },
  category: 'trigger',
  data: startDataSchema,
  defaultData: { trigger: 'api' },
  branches: () => ['next'],
  waits: false,
  outputDescription: { es: 'La entrada del run (input).', en: 'The run input.' },
});
