import { z } from 'zod';
import { ALWAYS, baseFields, branchId, checkUniqueIds, rule } from './fields';
import { defineNode, idsOf } from './define';

export const switchDataSchema = z
  .object({
    ...baseFields,
    cases: z
      .array(
        z.object({
          id: branchId('Case id; also the name of its branch'),
          label: z.string().max(120).optional().describe('Display name of the case'),
          rule: rule('JSON Logic rule; the first case whose rule is true is taken'),
        }),
      )
      .min(1)
      .max(30)
      .describe('Ordered cases; "default" is taken when none matches'),
  })
  .superRefine((d, ctx) => checkUniqueIds(ctx, d.cases, 'id', 'cases', ['default']), ALWAYS);
export type SwitchData = z.infer<typeof switchDataSchema>;

export const switchNode = defineNode({
  type: 'switch',
  title: { es: 'Según', en: 'Switch' },
  description: {
    es: 'Casos ordenados, cada uno con una regla; sigue por el primero que se cumple o por «default».',
    en: 'Ordered cases, each with a rule; continues on the first that holds, or on “default”.',
  },
  category: 'logic',
  data: switchDataSchema,
  defaultData: { cases: [{ id: 'vip', rule: { '==': [{ var: 'customer.tier' }, 'vip'] } }] },
  branches: (d) => [...idsOf(d.cases, 'id'), 'default'],
  waits: false,
  outputDescription: { es: '{ case }: el caso elegido.', en: '{ case }: the chosen case.' },
});
