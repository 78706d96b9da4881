import { z } from 'zod';
import { baseFields, rule } from './fields';
import { defineNode } from './define';

export const conditionDataSchema = z.object({
  ...baseFields,
  rule: rule('JSON Logic rule over the run scope (input, vars, customer, last, run, nodes)'),
});
export type ConditionData = z.infer<typeof conditionDataSchema>;

export const conditionNode = defineNode({
  type: 'condition',
  title: { es: 'Condición', en: 'Condition' },
  description: {
    es: 'Evalúa una regla sobre las variables del run y sigue por «true» o «false».',
    en: 'Evaluates a rule over the run variables and continues on “true” or “false”.',
  },
  category: 'logic',
  data: conditionDataSchema,
  defaultData: { rule: { '==': [{ var: 'input.plan' }, 'premium'] } },
  branches: () => ['true', 'false'],
  waits: false,
  outputDescription: { es: '{ result }: el valor de la regla.', en: '{ result }: the rule value.' },
});
