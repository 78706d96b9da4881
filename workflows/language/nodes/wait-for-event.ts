import { z } from 'zod';
import { baseFields, duration, eventName, rule, variableName } from './fields';
import { defineNode, nameIf } from './define';

export const waitForEventDataSchema = z.object({
  ...baseFields,
  event: eventName('Business event to wait for, e.g. purchase.completed'),
  rule: rule('Optional JSON Logic rule over {event, vars, ...}; the event must satisfy it').optional(),
  timeout: duration('How long to wait before taking the "timeout" branch'),
  variable: variableName('Variable that stores the event payload, readable as vars.<variable>').optional(),
});
export type WaitForEventData = z.infer<typeof waitForEventDataSchema>;

export const waitForEventNode = defineNode({
  type: 'waitForEvent',
  title: { es: 'Esperar evento', en: 'Wait for event' },
  description: {
    es: 'Espera un evento de negocio (por ejemplo purchase.completed) que cumpla una regla, con tiempo límite.',
    en: 'Waits for a business event (e.g. purchase.completed) matching a rule, with a timeout.',
  },
  category: 'timing',
  data: waitForEventDataSchema,
  defaultData: { event: 'purchase.completed', timeout: '24h' },
  branches: () => ['event', 'timeout'],
  waits: true,
  writes: (d) => nameIf(d.variable),
  outputDescription: { es: '{ event }: el evento recibido.', en: '{ event }: the event received.' },
});
