import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, listOf, rule, template, variableName } from './fields';
import { defineNode, idsOf } from './define';

export const setVariablesDataSchema = z
  .object({
    ...baseFields,
    assignments: z
      .array(
        z.object({
          variable: variableName('Variable to assign, readable as vars.<variable>'),
          value: z.unknown().optional().describe('Literal JSON value'),
          rule: rule('JSON Logic expression, e.g. {"+": [{"var": "vars.attempts"}, 1]}').optional(),
          template: template('Liquid template rendered to a string').optional(),
        }),
      )
      .min(1)
      .max(50)
      .describe('Assignments, applied in order; each has exactly one of value, rule or template'),
  })
  .superRefine((d, ctx) => {
    listOf(d.assignments).forEach((a, i) => {
      const count = ['value', 'rule', 'template'].filter((k) => a[k] !== undefined).length;
      if (count !== 1) {
        addIssue(
          ctx,
          ['assignments', i],
          `La asignación de «${String(a.variable)}» necesita exactamente uno de: valor, regla o plantilla.`,
          `The assignment of “${String(a.variable)}” needs exactly one of: value, rule or template.`,
        );
      }
    });
  }, ALWAYS);
export type SetVariablesData = z.infer<typeof setVariablesDataSchema>;

export const setVariablesNode = defineNode({
  type: 'setVariables',
  title: { es: 'Asignar variables', en: 'Set variables' },
  description: {
    es: 'Asigna variables a partir de valores, expresiones JSON Logic o plantillas.',
    en: 'Assigns variables from values, JSON Logic expressions or templates.',
  },
  category: 'logic',
  data: setVariablesDataSchema,
  defaultData: { assignments: [{ variable: 'attempts', value: 0 }] },
  branches: () => ['next'],
  waits: false,
  writes: (d) => idsOf(d.assignments, 'variable'),
});
