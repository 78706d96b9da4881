import { z } from 'zod';
import { baseFields, duration, template, variableName } from './fields';
import { defineNode, nameIf } from './define';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const headerName = z.string().min(1).max(100).regex(HEADER_NAME).describe('HTTP header name');

export const httpDataSchema = z.object({
  ...baseFields,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).describe('HTTP method'),
  url: template('URL (Liquid), http or https').min(1),
  headers: z.record(headerName, template('Header value (Liquid)')).optional().describe('Plain headers'),
  secretHeaders: z
    .record(
      headerName,
      z
        .string()
        .min(1)
        .max(120)
        .regex(/^[A-Za-z0-9_.-]+$/)
        .describe('Name of a stored secret'),
    )
    .optional()
    .describe("Headers whose value is a stored secret, by secret name (never written in the flow); sent only to hosts in the secret's allowedHosts"),
  body: template('Request body (Liquid), usually JSON').optional(),
  timeout: duration('Request timeout (default 10s)').optional(),
  variable: variableName('Variable that stores the response body, readable as vars.<variable>').optional(),
});
export type HttpData = z.infer<typeof httpDataSchema>;

export const httpNode = defineNode({
  type: 'http',
  title: { es: 'Llamada HTTP', en: 'HTTP call' },
  description: {
    es: 'Llama a un webhook con cuerpo de plantilla y cabeceras que referencian secretos.',
    en: 'Calls a webhook with a templated body and secret-referenced headers.',
  },
  category: 'integration',
  data: httpDataSchema,
  defaultData: { method: 'POST', url: 'https://example.com/webhook', body: '{"customer": "{{ customer.id }}"}' },
  branches: () => ['ok', 'error'],
  waits: false,
  writes: (d) => nameIf(d.variable),
  outputDescription: { es: '{ status, body }.', en: '{ status, body }.' },
});
