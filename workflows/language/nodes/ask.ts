import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, branchId, checkUniqueIds, duration, regex, template, variableName } from './fields';
import { defineNode, idsOf } from './define';

export const ASK_RESERVED_BRANCHES = ['invalid', 'timeout'] as const;

export const askDataSchema = z
  .object({
    ...baseFields,
    text: template('Question sent to the customer (Liquid)').min(1),
    variable: variableName('Variable that stores the reply, readable as vars.<variable>'),
    options: z
      .array(
        z.object({
          label: template('Option caption shown to the customer').min(1),
          value: branchId('Value stored when chosen; also the name of the branch taken'),
          synonyms: z.array(z.string().min(1).max(100)).max(50).optional().describe('Other replies that select this option'),
        }),
      )
      .max(20)
      .optional()
      .describe('Choices; each one becomes a branch'),
    validation: z
      .object({
        kind: z.enum(['email', 'phone', 'number', 'regex', 'none']).describe('How the reply is validated'),
        pattern: regex('Regular expression the reply must match (kind "regex")').optional(),
        min: z.number().optional().describe('Minimum value (kind "number")'),
        max: z.number().optional().describe('Maximum value (kind "number")'),
      })
      .optional()
      .describe('Reply validation; a failing reply takes the "invalid" branch after maxAttempts'),
    timeout: duration('How long to wait for the reply before taking the "timeout" branch').optional(),
    invalidText: template('Text sent when the reply is not valid, before asking again').optional(),
    maxAttempts: z.number().int().min(1).max(10).optional().describe('Attempts before taking the "invalid" branch (default 3)'),
  })
  .superRefine((d, ctx) => {
    checkUniqueIds(ctx, d.options, 'value', 'options', ASK_RESERVED_BRANCHES);
    const v = d.validation as Record<string, unknown> | undefined;
    if (v?.kind === 'regex' && !v.pattern) {
      addIssue(ctx, ['validation', 'pattern'], 'Indica la expresión regular de la validación.', 'Set the validation regular expression.');
    }
    if (typeof v?.min === 'number' && typeof v.max === 'number' && v.min > v.max) {
      addIssue(ctx, ['validation', 'min'], 'El mínimo es mayor que el máximo.', 'The minimum is greater than the maximum.');
    }
  }, ALWAYS);
export type AskData = z.infer<typeof askDataSchema>;

export const askNode = defineNode({
  type: 'ask',
  title: { es: 'Preguntar', en: 'Ask' },
  description: {
    es: 'Envía una pregunta, espera la respuesta del cliente y la guarda en una variable; con opciones, validación y tiempo límite.',
    en: "Sends a question, waits for the customer's reply and stores it in a variable; with options, validation and a timeout.",
  },
  category: 'conversation',
  data: askDataSchema,
  defaultData: { text: '¿En qué podemos ayudarte?', variable: 'reply' },
  branches: (d) => {
    const options = idsOf(d.options, 'value');
    const kind = (d.validation as { kind?: unknown } | undefined)?.kind;
    const hasValidation = d.validation !== undefined && d.validation !== null && kind !== 'none';
    return [...(options.length ? options : ['reply']), ...(options.length || hasValidation ? ['invalid'] : []), ...(d.timeout ? ['timeout'] : [])];
  },
  waits: true,
  writes: (d) => (typeof d.variable === 'string' ? [d.variable] : []),
  outputDescription: {
    es: '{ reply, option? }: la respuesta y la opción elegida.',
    en: '{ reply, option? }: the reply and the chosen option.',
  },
});
