import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { AiEngine } from './engine';

/**
 * The LLM engine with the offline one behind it: when the LLM fails to classify or to read the
 * sentiment (timeout, 5xx, rate limit, refused key, unusable output), the offline engine answers at
 * once and the output says so (`engine: 'offline'`, `llmFailure: <the failure's type>`), which the run
 * event records. A customer in a chat waits for this answer, so one failed request does not go
 * through the activity's retries first; the offline classifier uses the same intents (descriptions
 * and examples) and is right about nine times in ten on our evaluation set.
 *
 * A cancelled activity is not a failure to hide: it is rethrown. Replies and summaries keep the LLM
 * engine's own failure handling (retries, then the node's "unsure" branch), since an offline answer
 * there reads very differently from a model's.
 */
export function withOfflineFallback(llm: AiEngine, offline: AiEngine, warn: (message: string) => void = defaultWarn): AiEngine {
  async function orOffline<T>(task: string, call: () => Promise<T>, fallback: () => Promise<T>): Promise<T | (T & { llmFailure: string })> {
    try {
      return await call();
    } catch (err) {
      if (isCancellation(err)) throw err;
      const type = err instanceof ApplicationFailure && err.type ? err.type : 'LlmError';
      warn(`the LLM failed to ${task} (${type}: ${(err as Error).message}); the offline engine answered`);
      return { ...(await fallback()), llmFailure: type };
    }
  }
  return {
    name: 'llm',
    classify: (input) =>
      orOffline(
        'classify',
        () => llm.classify(input),
        () => offline.classify(input),
      ),
    sentiment: (input) =>
      orOffline(
        'read the sentiment',
        () => llm.sentiment(input),
        () => offline.sentiment(input),
      ),
    reply: (input) => llm.reply(input),
    summarize: (input) => llm.summarize(input),
  };
}

function isCancellation(err: unknown): boolean {
  if (err instanceof ApplicationFailure && err.type === 'LlmCancelled') return true;
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false; // not inside an activity
  }
}

function defaultWarn(message: string): void {
  try {
    Context.current().log.warn(message);
  } catch {
    console.warn(message);
  }
}
