import type {
  ClassifyInput,
  ClassifyOutput,
  ReplyInput,
  ReplyOutput,
  SentimentInput,
  SentimentOutput,
  SummarizeInput,
  SummarizeOutput,
} from '../../contracts/activities';
import { invalidInput } from '../errors';
import type { AiEngine } from './engine';
import type { KnowledgeBase } from './knowledge';
import { createOfflineAiEngine } from './offline/engine';

export interface AiDeps {
  knowledge: KnowledgeBase;
  /** Defaults to the offline engine. An LLM engine plugs in here (see activities/README.md). */
  engine?: AiEngine;
}

const MAX_TEXT = 20_000;

function checkThreshold(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw invalidInput(`${name} must be a number between 0 and 1`);
  }
}

/**
 * The AI nodes' activities. All are pure reads (no side effects), so every retry is safe.
 * Invalid input (no intents, a threshold outside 0..1) fails non-retryably.
 */
export function createAiActivities(deps: AiDeps) {
  const engine = deps.engine ?? createOfflineAiEngine({ knowledge: deps.knowledge });
  const clip = (text: string | undefined) => (text ?? '').slice(0, MAX_TEXT);

  return {
    async aiClassify(input: ClassifyInput): Promise<ClassifyOutput> {
      if (!Array.isArray(input.intents) || input.intents.length === 0) throw invalidInput('aiClassify needs at least one intent');
      for (const intent of input.intents) {
        if (!intent.id || !Array.isArray(intent.examples) || intent.examples.length === 0) {
          throw invalidInput(`intent "${intent.id ?? ''}" needs an id and at least one example`);
        }
      }
      checkThreshold('threshold', input.threshold);
      return engine.classify({ ...input, text: clip(input.text) });
    },

    async aiSentiment(input: SentimentInput): Promise<SentimentOutput> {
      return engine.sentiment({ ...input, text: clip(input.text) });
    },

    async aiReply(input: ReplyInput): Promise<ReplyOutput> {
      checkThreshold('minConfidence', input.minConfidence);
      return engine.reply({ ...input, question: clip(input.question), conversation: input.conversation ?? [] });
    },

    async aiSummarize(input: SummarizeInput): Promise<SummarizeOutput> {
      return engine.summarize({ ...input, conversation: input.conversation ?? [] });
    },
  };
}

export type AiActivities = ReturnType<typeof createAiActivities>;
