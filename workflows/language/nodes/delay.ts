import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, duration, template } from './fields';
import { defineNode } from './define';

export const delayDataSchema = z
  .object({
    ...baseFields,
    duration: duration('How long to wait, e.g. 1h, 2d, 1h30m, PT2H').optional(),
    until: template('Liquid template yielding an ISO date to wait until, e.g. {{ vars.appointment }}').min(1).optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.duration === undefined) === (d.until === undefined)) {
      addIssue(
        ctx,
        ['duration'],
        'Indica una duración o una fecha hasta la que esperar (solo una de las dos).',
        'Set either a duration or a date to wait until (exactly one of them).',
      );
    }
  }, ALWAYS);
export type DelayData = z.infer<typeof delayDataSchema>;

export const delayNode = defineNode({
  type: 'delay',
  title: { es: 'Esperar', en: 'Delay' },
  description: {
    es: 'Espera una duración (por ejemplo 2h) o hasta una fecha, con un temporizador duradero.',
    en: 'Waits for a duration (e.g. 2h) or until a date, with a durable timer.',
  },
  category: 'timing',
  data: delayDataSchema,
  defaultData: { duration: '1h' },
  branches: () => ['next'],
  waits: true,
});
