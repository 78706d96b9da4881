import type { ConversationTurn } from '../../../contracts/activities';
import type { AiEngine } from '../engine';
import type { KnowledgeBase } from '../knowledge';
import { DEFAULT_CLASSIFY_THRESHOLD, intentModel } from './classifier';
import { analyzeSentiment } from './sentiment';
import { summarizeConversation } from './summarize';
import { contentWords, detectLanguage } from './text';

export const DEFAULT_MIN_CONFIDENCE = 0.3;
const MAX_SOURCES = 3;

/** The last customer message, or the last message at all. */
export function lastCustomerText(conversation: ConversationTurn[]): string {
  for (let i = conversation.length - 1; i >= 0; i--) if (conversation[i].from === 'customer' && conversation[i].text.trim()) return conversation[i].text;
  return '';
}

/**
 * Earlier customer messages that can disambiguate a short question ("¿y cuánto tarda?"): the two
 * customer messages before the question, when the question itself has fewer than 4 content words.
 */
export function contextFor(question: string, conversation: ConversationTurn[]): string | undefined {
  if (contentWords(question).length >= 4) return undefined;
  const earlier = conversation.filter((t) => t.from === 'customer' && t.text.trim() && t.text.trim() !== question.trim());
  const context = earlier
    .slice(-2)
    .map((t) => t.text)
    .join('\n');
  return context || undefined;
}

/** The offline engine: everything runs in-process, no network, deterministic. */
export function createOfflineAiEngine(deps: { knowledge: KnowledgeBase }): AiEngine {
  return {
    name: 'offline',

    async classify({ text, intents, threshold }) {
      const result = intentModel(intents).classify(text ?? '', threshold ?? DEFAULT_CLASSIFY_THRESHOLD);
      return { ...result, engine: 'offline' };
    },

    async sentiment({ text }) {
      return { ...analyzeSentiment(text ?? ''), engine: 'offline' };
    },

    async reply({ question, conversation, collection, minConfidence, locale }) {
      const q = question?.trim() || lastCustomerText(conversation ?? []);
      if (!q) return { answer: null, confidence: 0, sources: [], engine: 'offline' };
      // Prefer articles in the question's language; the run's locale only when the question does not tell.
      const asked = detectLanguage(q);
      const hits = await deps.knowledge.search(q, collection, {
        context: contextFor(q, conversation ?? []),
        locale: asked === 'unknown' ? locale : asked,
        limit: MAX_SOURCES,
      });
      const best = hits[0];
      const confidence = best?.confidence ?? 0;
      const answered = best !== undefined && best.passage !== '' && confidence >= (minConfidence ?? DEFAULT_MIN_CONFIDENCE);
      return {
        answer: answered ? best.passage : null,
        confidence,
        sources: hits.map((h) => ({ id: h.article.id, title: h.article.title, score: h.confidence })),
        engine: 'offline',
      };
    },

    async summarize({ conversation, locale, ctx }) {
      return { summary: summarizeConversation(conversation ?? [], { customerId: ctx?.customerId, locale }), engine: 'offline' };
    },
  };
}
