import { z } from 'zod';
import { ALWAYS, ALERT_CHANNELS, baseFields, checkUniqueIds, duration, template } from './fields';
import { defineNode } from './define';

export const escalateDataSchema = z
  .object({
    ...baseFields,
    tiers: z
      .array(
        z.object({
          id: z.string().min(1).max(64).optional().describe('Tier id, for reports'),
          queue: z.string().min(1).max(120).describe('Agent queue, e.g. support-l1'),
          notify: z
            .array(
              z.object({
                channel: z.enum(ALERT_CHANNELS).describe('How the tier is alerted'),
                to: template('Recipient: address, phone, Slack channel or URL (Liquid)').min(1),
              }),
            )
            .max(10)
            .describe('Who is alerted when the tier is reached'),
          sla: duration('Time for an agent to accept before escalating to the next tier'),
        }),
      )
      .min(1)
      .max(10)
      .describe('Escalation ladder, in order'),
    messages: z
      .object({
        waiting: template('Sent to the customer while waiting for an agent').optional(),
        accepted: template('Sent when an agent accepts').optional(),
        nextTier: template('Sent when escalating to the next tier').optional(),
        unresolved: template('Sent when no tier accepted').optional(),
        returned: template('Sent when the agent returns the conversation to the bot').optional(),
        resolved: template('Sent when the agent resolves the case').optional(),
      })
      .optional()
      .describe('Customer-facing messages (Liquid)'),
    includeSummary: z.boolean().optional().describe('Send the agent an AI summary of the conversation'),
    maxConversation: duration('Longest agent conversation before the run continues as unresolved').optional(),
  })
  .superRefine((d, ctx) => checkUniqueIds(ctx, d.tiers, 'id', 'tiers'), ALWAYS);
export type EscalateData = z.infer<typeof escalateDataSchema>;

export const escalateNode = defineNode({
  type: 'escalate',
  title: { es: 'Escalar a una persona', en: 'Escalate to a human' },
  description: {
    es: 'Escalera de escalado: niveles con cola, avisos y SLA; si un nivel no acepta a tiempo pasa al siguiente.',
    en: 'Escalation ladder: tiers with a queue, alerts and an SLA; a tier that does not accept in time escalates to the next.',
  },
  category: 'conversation',
  data: escalateDataSchema,
  defaultData: { tiers: [{ queue: 'support', notify: [], sla: '15m' }] },
  branches: () => ['resolved', 'returned', 'unresolved'],
  waits: true,
  outputDescription: { es: '{ tier, agent, outcome }.', en: '{ tier, agent, outcome }.' },
});
