import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const aiReplyDataSchema = z.object({
  ...baseFields,
  question: template('Question to answer (Liquid); defaults to the last customer message').optional(),
  minConfidence: z.number().min(0).max(1).optional().describe('Minimum confidence, 0..1, to count as answered'),
  collection: z.string().min(1).max(120).optional().describe('Knowledge-base collection to search'),
  sendReply: z.boolean().default(true).describe('Send the answer to the customer (default true)'),
});
export type AiReplyData = z.infer<typeof aiReplyDataSchema>;

export const aiReplyNode = defineNode({
  type: 'ai.reply',
  title: { es: 'Responder con IA', en: 'AI reply' },
  description: {
    es: 'Responde desde la base de conocimiento usando la conversación como contexto.',
    en: 'Answers from the knowledge base with the conversation as context.',
  },
  category: 'ai',
  data: aiReplyDataSchema,
  defaultData: {},
  branches: () => ['answered', 'unsure'],
  waits: false,
  outputDescription: { es: '{ answer, confidence, sources }.', en: '{ answer, confidence, sources }.' },
});
