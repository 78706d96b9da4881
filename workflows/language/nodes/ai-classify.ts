import { z } from 'zod';
import { ALWAYS, baseFields, branchId, checkUniqueIds, template } from './fields';
import { defineNode, idsOf } from './define';

export const aiClassifyDataSchema = z
  .object({
    ...baseFields,
    intents: z
      .array(
        z.object({
          id: branchId('Intent id, e.g. billing; also the name of its branch'),
          examples: z.array(z.string().min(1).max(500)).min(1).max(100).describe('Example customer phrases'),
          description: z
            .string()
            .max(500)
            .optional()
            .describe('What the intent means, in the words of the business (the offline classifier and the LLM both use it)'),
        }),
      )
      .min(1)
      .max(30)
      .describe('Intents to recognise'),
    text: template('Text to classify (Liquid); defaults to the last customer message').optional(),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Minimum confidence, 0..1, below which "fallback" is taken; default 0.5 (the confidence is calibrated: 0.7 means right about 7 times in 10)'),
  })
  .superRefine((d, ctx) => checkUniqueIds(ctx, d.intents, 'id', 'intents', ['fallback']), ALWAYS);
export type AiClassifyData = z.infer<typeof aiClassifyDataSchema>;

export const aiClassifyNode = defineNode({
  type: 'ai.classify',
  title: { es: 'Clasificar intención', en: 'Classify intent' },
  description: {
    es: 'Clasifica la intención del cliente (LLM o clasificador sin conexión).',
    en: "Classifies the customer's intent (LLM or the offline classifier).",
  },
  category: 'ai',
  data: aiClassifyDataSchema,
  defaultData: { intents: [{ id: 'billing', examples: ['tengo un problema con mi factura', 'billing question'] }] },
  branches: (d) => [...idsOf(d.intents, 'id'), 'fallback'],
  waits: false,
  outputDescription: { es: '{ intent, confidence }.', en: '{ intent, confidence }.' },
});
