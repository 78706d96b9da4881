import { z } from 'zod';
import { baseFields, duration, template, variableName } from './fields';
import { defineNode } from './define';

export const csatDataSchema = z.object({
  ...baseFields,
  question: template('Survey question (Liquid); a default 1-5 question is used when empty').optional(),
  timeout: duration('How long to wait for the answer before taking the "timeout" branch').optional(),
  variable: variableName('Variable that stores the score 1-5 (default csat)').default('csat'),
});
export type CsatData = z.infer<typeof csatDataSchema>;

export const csatNode = defineNode({
  type: 'csat',
  title: { es: 'Encuesta de satisfacción', en: 'CSAT survey' },
  description: { es: 'Encuesta de satisfacción de 1 a 5.', en: 'A 1-5 satisfaction survey.' },
  category: 'conversation',
  data: csatDataSchema,
  defaultData: { timeout: '1d' },
  branches: () => ['next', 'timeout'],
  waits: true,
  writes: (d) => [typeof d.variable === 'string' && d.variable ? d.variable : 'csat'],
  outputDescription: { es: '{ score }.', en: '{ score }.' },
});
