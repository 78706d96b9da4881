import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const subflowDataSchema = z.object({
  ...baseFields,
  flowId: z.string().min(1).max(120).describe('Id of the published flow to run'),
  version: z.number().int().min(1).optional().describe('Pinned version; latest published when empty'),
  input: z.record(z.string().min(1).max(64), template('Input value (Liquid)')).optional().describe('Input of the child run'),
});
export type SubflowData = z.infer<typeof subflowDataSchema>;

export const subflowNode = defineNode({
  type: 'subflow',
  title: { es: 'Subflujo', en: 'Sub-flow' },
  description: {
    es: 'Ejecuta otro flujo publicado como workflow hijo.',
    en: 'Runs another published flow as a child workflow.',
  },
  category: 'integration',
  data: subflowDataSchema,
  defaultData: { flowId: 'other-flow' },
  branches: () => ['completed', 'failed'],
  waits: false,
  outputDescription: { es: '{ outcome, vars }: el resultado del hijo.', en: "{ outcome, vars }: the child's result." },
});
