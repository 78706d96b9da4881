import { z } from 'zod';
import { parseIsoDate } from '../iso-date';
import { ALWAYS, addIssue, baseFields, checkUniqueIds, isoDate, listOf, rule, template } from './fields';
import { defineNode } from './define';
import { IDENTIFIER } from '../text';

export const personalizeDataSchema = z
  .object({
    ...baseFields,
    rules: z
      .array(
        z.object({
          id: z.string().min(1).max(64).describe('Rule id'),
          condition: rule('JSON Logic rule that must hold for the action to apply'),
          action: z
            .object({
              content: template('Content to show (Liquid), readable as nodes.<id>.output.content').optional(),
              offer: z.string().min(1).max(120).optional().describe('Offer code, readable as nodes.<id>.output.offer'),
              variables: z.record(z.string().regex(IDENTIFIER), z.unknown()).optional().describe('Variables to set (vars.<name>)'),
            })
            .describe('What the rule chooses'),
          priority: z.number().int().describe('Higher priority wins when several rules match'),
          activeFrom: isoDate('The rule applies from this instant (ISO 8601)').optional(),
          activeTo: isoDate('The rule applies until this instant (ISO 8601)').optional(),
        }),
      )
      .min(1)
      .max(50)
      .describe('Candidate rules'),
  })
  .superRefine((d, ctx) => {
    checkUniqueIds(ctx, d.rules, 'id', 'rules');
    listOf(d.rules).forEach((r, i) => {
      const from = typeof r.activeFrom === 'string' ? parseIsoDate(r.activeFrom) : undefined;
      const to = typeof r.activeTo === 'string' ? parseIsoDate(r.activeTo) : undefined;
      if (from === null) addIssue(ctx, ['rules', i, 'activeFrom'], 'No es una fecha ISO válida.', 'Not a valid ISO date.');
      if (to === null) addIssue(ctx, ['rules', i, 'activeTo'], 'No es una fecha ISO válida.', 'Not a valid ISO date.');
      if (typeof from === 'number' && typeof to === 'number' && from >= to) {
        addIssue(ctx, ['rules', i, 'activeTo'], 'La fecha de fin debe ser posterior a la de inicio.', 'The end date must be after the start date.');
      }
      const a = r.action as Record<string, unknown> | undefined;
      if (a && typeof a === 'object' && a.content === undefined && a.offer === undefined && a.variables === undefined) {
        addIssue(ctx, ['rules', i, 'action'], 'La acción debe indicar contenido, oferta o variables.', 'The action must set content, an offer or variables.');
      }
    });
  }, ALWAYS);
export type PersonalizeData = z.infer<typeof personalizeDataSchema>;

export const personalizeNode = defineNode({
  type: 'personalize',
  title: { es: 'Personalizar', en: 'Personalize' },
  description: {
    es: 'Reglas ordenadas (condición, acción, prioridad, vigencia) eligen un contenido o una oferta.',
    en: 'Ordered rules (condition, action, priority, active from/to) choose content or an offer.',
  },
  category: 'experiment',
  data: personalizeDataSchema,
  defaultData: {
    rules: [{ id: 'vip', condition: { '==': [{ var: 'customer.tier' }, 'vip'] }, action: { offer: 'VIP10' }, priority: 1 }],
  },
  branches: () => ['matched', 'noMatch'],
  waits: false,
  writes: (d) => {
    if (!Array.isArray(d.rules)) return [];
    const names = new Set<string>();
    for (const r of d.rules) {
      const vars = (r as { action?: { variables?: unknown } } | null)?.action?.variables;
      if (vars && typeof vars === 'object') Object.keys(vars).forEach((k) => names.add(k));
    }
    return [...names];
  },
  outputDescription: {
    es: '{ ruleId, content?, offer? }: la regla elegida.',
    en: '{ ruleId, content?, offer? }: the chosen rule.',
  },
});
