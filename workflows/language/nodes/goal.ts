import { z } from 'zod';
import { baseFields } from './fields';
import { defineNode } from './define';

export const goalDataSchema = z.object({
  ...baseFields,
  goal: z.string().min(1).max(120).describe('Conversion name, e.g. purchase; used by experiments and KPIs'),
  value: z.number().optional().describe('Monetary or numeric value of the conversion'),
});
export type GoalData = z.infer<typeof goalDataSchema>;

export const goalNode = defineNode({
  type: 'goal',
  title: { es: 'Objetivo', en: 'Goal' },
  description: {
    es: 'Registra una conversión (para experimentos y KPIs).',
    en: 'Records a conversion (for experiments and KPIs).',
  },
  category: 'experiment',
  data: goalDataSchema,
  defaultData: { goal: 'conversion' },
  branches: () => ['next'],
  waits: false,
});
