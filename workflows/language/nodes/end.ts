import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const END_OUTCOMES = ['resolved', 'escalated', 'abandoned', 'converted', 'failed', 'completed'] as const;

export const endDataSchema = z.object({
  ...baseFields,
  outcome: z
    .string()
    .min(1)
    .max(64)
    .meta({ examples: [...END_OUTCOMES] })
    .describe('Run outcome for KPIs: resolved, escalated, abandoned, converted, failed, completed or a custom one'),
  message: template('Last message to the customer (Liquid)').optional(),
});
export type EndData = z.infer<typeof endDataSchema>;

export const endNode = defineNode({
  type: 'end',
  title: { es: 'Fin', en: 'End' },
  description: { es: 'Termina el run con un resultado.', en: 'Ends the run with an outcome.' },
  category: 'end',
  data: endDataSchema,
  defaultData: { outcome: 'completed' },
  branches: () => [],
  waits: false,
});
