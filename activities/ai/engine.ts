import type {
  ActivityContext,
  ClassifyInput,
  ClassifyOutput,
  ReplyInput,
  ReplyOutput,
  SentimentInput,
  SentimentOutput,
  SummarizeInput,
  SummarizeOutput,
} from '../../contracts/activities';

/** The node input; `ctx` is optional so the engine can be used outside an activity. */
type WithoutCtx<T> = Omit<T, 'ctx'> & { ctx?: ActivityContext };

/**
 * What answers the AI nodes. The offline engine (`offline/engine.ts`) is the default and the
 * fallback; an LLM engine (OpenAI or any compatible endpoint) implements the same four methods
 * and reports `engine: 'llm'` with its token `usage`. `createAiActivities` only validates input and
 * delegates here, so swapping engines never changes the activities' names or types.
 */
export interface AiEngine {
  readonly name: 'offline' | 'llm';
  classify(input: WithoutCtx<ClassifyInput>): Promise<ClassifyOutput>;
  sentiment(input: WithoutCtx<SentimentInput>): Promise<SentimentOutput>;
  reply(input: WithoutCtx<ReplyInput>): Promise<ReplyOutput>;
  summarize(input: WithoutCtx<SummarizeInput>): Promise<SummarizeOutput>;
}
