import { Logger } from '@nestjs/common';
import type { AiEngine } from '../../../activities/ai/engine';
import { createStaticKnowledgeBase } from '../../../activities/ai/knowledge';
import { createOpenAiEngine, openAiOptionsFromEnv } from '../../../activities/ai/openai/engine';

/** The LLM engine `ai.classify` runs with, or null for the offline classifier (provider token). */
export const CLASSIFY_LLM = Symbol('CLASSIFY_LLM');

/**
 * The LLM the worker's activities would classify with: the same `OPENAI_*` variables read the same
 * way (activities/index.ts), since the launcher gives the API and the worker one environment. Only
 * `classify` is used, so the engine gets an empty knowledge base. A variable the worker would refuse
 * is logged and leaves the try route offline rather than keeping the API from starting.
 */
export function classifyLlmFromEnv(env: Record<string, string | undefined>): AiEngine | null {
  try {
    const options = openAiOptionsFromEnv(env);
    return options ? createOpenAiEngine({ ...options, knowledge: createStaticKnowledgeBase([]) }) : null;
  } catch (err) {
    new Logger('AiModule').warn(`${(err as Error).message}; «Probar frases» uses the offline classifier`);
    return null;
  }
}
