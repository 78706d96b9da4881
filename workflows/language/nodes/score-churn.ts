import { z } from 'zod';
import { baseFields, rule, variableName } from './fields';
import { defineNode } from './define';

export const scoreChurnDataSchema = z.object({
  ...baseFields,
  features: z
    .record(z.string().min(1).max(64), rule('JSON Logic expression computing the feature'))
    .optional()
    .describe('Extra features by name; the model also uses the customer attributes'),
  variable: variableName('Variable that stores the churn probability 0..1 (default churnScore)').default('churnScore'),
});
export type ScoreChurnData = z.infer<typeof scoreChurnDataSchema>;

export const scoreChurnNode = defineNode({
  type: 'score.churn',
  title: { es: 'Riesgo de abandono', en: 'Churn score' },
  description: {
    es: 'Calcula la probabilidad de abandono del cliente (después, un «Según» por umbrales).',
    en: 'Computes the customer churn probability (then a “Switch” on thresholds).',
  },
  category: 'ai',
  data: scoreChurnDataSchema,
  defaultData: {},
  branches: () => ['next'],
  waits: false,
  writes: (d) => [typeof d.variable === 'string' && d.variable ? d.variable : 'churnScore'],
  outputDescription: { es: '{ score, factors }.', en: '{ score, factors }.' },
});
