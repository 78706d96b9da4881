import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, branchId, checkUniqueIds, listOf } from './fields';
import { defineNode, idsOf } from './define';

export const abSplitDataSchema = z
  .object({
    ...baseFields,
    experiment: z.string().min(1).max(120).describe('Experiment key; with the customer id it picks a stable variant'),
    variants: z
      .array(
        z.object({
          id: branchId('Variant id, e.g. A; also the name of its branch'),
          weight: z.number().min(0).max(1000).describe('Relative traffic weight'),
        }),
      )
      .min(2)
      .max(10)
      .describe('At least two variants with unique ids'),
    adaptive: z.boolean().optional().describe('Shift traffic towards the best-converting variant (bandit)'),
  })
  .superRefine((d, ctx) => {
    checkUniqueIds(ctx, d.variants, 'id', 'variants');
    const variants = listOf(d.variants);
    if (variants.length > 0 && variants.every((v) => v.weight === 0)) {
      addIssue(ctx, ['variants'], 'Al menos una variante debe tener peso mayor que 0.', 'At least one variant must have a weight above 0.');
    }
  }, ALWAYS);
export type AbSplitData = z.infer<typeof abSplitDataSchema>;

export const abSplitNode = defineNode({
  type: 'abSplit',
  title: { es: 'Test A/B', en: 'A/B split' },
  description: {
    es: 'Asigna una variante de forma estable por cliente y experimento, y registra la exposición.',
    en: 'Assigns a variant by a stable hash of customer and experiment, and records the exposure.',
  },
  category: 'experiment',
  data: abSplitDataSchema,
  defaultData: {
    experiment: 'experiment',
    variants: [
      { id: 'A', weight: 50 },
      { id: 'B', weight: 50 },
    ],
  },
  branches: (d) => idsOf(d.variants, 'id'),
  waits: false,
  outputDescription: { es: '{ variant }: la variante asignada.', en: '{ variant }: the assigned variant.' },
});
