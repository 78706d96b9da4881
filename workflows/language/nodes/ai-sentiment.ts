import { z } from 'zod';
import { baseFields, template } from './fields';
import { defineNode } from './define';

export const aiSentimentDataSchema = z.object({
  ...baseFields,
  text: template('Text to analyse (Liquid); defaults to the last customer message').optional(),
});
export type AiSentimentData = z.infer<typeof aiSentimentDataSchema>;

export const aiSentimentNode = defineNode({
  type: 'ai.sentiment',
  title: { es: 'Sentimiento', en: 'Sentiment' },
  description: {
    es: 'Detecta el sentimiento del último mensaje (español e inglés).',
    en: 'Detects the sentiment of the last message (Spanish and English).',
  },
  category: 'ai',
  data: aiSentimentDataSchema,
  defaultData: {},
  branches: () => ['negative', 'neutral', 'positive'],
  waits: false,
  outputDescription: { es: '{ sentiment, score }: score de -1 a 1.', en: '{ sentiment, score }: score from -1 to 1.' },
});
