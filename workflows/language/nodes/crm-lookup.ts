import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const crmLookupDataSchema = z.object({
  ...baseFields,
  by: z.enum(['id', 'email', 'phone']).describe('Field used to find the customer'),
  value: template('Value to look for (Liquid), e.g. {{ input.email }}').min(1),
});
export type CrmLookupData = z.infer<typeof crmLookupDataSchema>;

export const crmLookupNode = defineNode({
  type: 'crm.lookup',
  title: { es: 'Buscar cliente', en: 'Look up customer' },
  description: {
    es: 'Busca un cliente en el CRM y lo carga como customer.',
    en: 'Finds a customer in the CRM and loads it as customer.',
  },
  category: 'crm',
  data: crmLookupDataSchema,
  defaultData: { by: 'email', value: '{{ input.email }}' },
  branches: () => ['found', 'notFound'],
  waits: false,
  outputDescription: { es: '{ customer }: el cliente encontrado.', en: '{ customer }: the customer found.' },
});
