import { z } from 'zod';
import { ALWAYS, addIssue, baseFields, template } from './fields';
import { defineNode } from './define';

const tag = z.string().min(1).max(64).describe('Tag name');

export const crmUpdateDataSchema = z
  .object({
    ...baseFields,
    fields: z.record(z.string().min(1).max(64), template('New value (Liquid)')).optional().describe('Customer attributes to set'),
    addTags: z.array(tag).max(50).optional().describe('Tags to add'),
    removeTags: z.array(tag).max(50).optional().describe('Tags to remove'),
  })
  .superRefine((d, ctx) => {
    const size = (v: unknown) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : v === undefined ? 0 : 1);
    if (size(d.fields) + size(d.addTags) + size(d.removeTags) === 0) {
      addIssue(ctx, ['fields'], 'Indica al menos un campo o etiqueta que cambiar.', 'Set at least one field or tag to change.');
    }
  }, ALWAYS);
export type CrmUpdateData = z.infer<typeof crmUpdateDataSchema>;

export const crmUpdateNode = defineNode({
  type: 'crm.update',
  title: { es: 'Actualizar cliente', en: 'Update customer' },
  description: {
    es: 'Actualiza campos y etiquetas del cliente en el CRM.',
    en: "Updates the customer's fields and tags in the CRM.",
  },
  category: 'crm',
  data: crmUpdateDataSchema,
  defaultData: { addTags: ['contacted'] },
  branches: () => ['next'],
  waits: false,
});
