import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ClassifyOutput } from '../../../contracts/activities';
import type { AiEngine } from '../../../activities/ai/engine';
import { reviewIntents, type IntentWarning } from '../../../activities/ai/intent-review';
import { DEFAULT_CLASSIFY_THRESHOLD, intentModel, type IntentSpec } from '../../../activities/ai/offline/classifier';
import { CLASSIFY_LLM } from './classify-engine';
import type { ClassifiedPhraseDto, ClassifyTryDto, ClassifyTryResultDto, RunnerUpDto } from './dto';

/** LLM requests in flight at once for one try: 50 phrases take ~13 round trips, not 50. */
const LLM_CONCURRENCY = 4;
/** Reviews kept by intents and threshold: the lead tries new phrases far more often than new intents. */
const CACHED_REVIEWS = 20;
const RESERVED_IDS = ['fallback'];

/** The next best intent: after the answer, or the closest one when no intent reached the threshold. */
export function runnerUpOf(intent: string | null, scores: Record<string, number>): RunnerUpDto | null {
  const ranked = Object.entries(scores)
    .filter(([, score]) => score > 0)
    .sort((a, b) => b[1] - a[1]);
  const next = intent === null ? ranked[0] : ranked.find(([id]) => id !== intent);
  return next ? { intent: next[0], score: next[1] } : null;
}

function checkIds(intents: IntentSpec[]): void {
  const seen = new Set<string>();
  intents.forEach((intent, i) => {
    if (RESERVED_IDS.includes(intent.id))
      throw new BadRequestException(`intents.${i}.id "${intent.id}" is reserved for the node's own branch; use another one`);
    if (seen.has(intent.id)) throw new BadRequestException(`intents.${i}.id "${intent.id}" is repeated; each intent id must be unique`);
    seen.add(intent.id);
  });
}

/**
 * «Probar frases»: classifies a CX lead's phrases with the engine a run of the node would use, and
 * reviews the intents. With an LLM configured each phrase goes to it; a phrase it fails on is
 * answered by the offline classifier (as a run falls back), and once it has failed the remaining
 * phrases go offline at once, so a down LLM costs one timeout, not fifty.
 */
@Injectable()
export class ClassifyTryService {
  /** A review is ~80 trainings of the classifier (~0.6 s of CPU): a second «Probar» with the same intents reuses it. */
  private readonly reviews = new Map<string, Promise<IntentWarning[]>>();

  constructor(@Inject(CLASSIFY_LLM) private readonly llm: AiEngine | null) {}

  async tryPhrases(body: ClassifyTryDto): Promise<ClassifyTryResultDto> {
    const intents: IntentSpec[] = body.intents.map((i) => ({ id: i.id, examples: i.examples, ...(i.description ? { description: i.description } : {}) }));
    checkIds(intents);
    const threshold = body.threshold ?? DEFAULT_CLASSIFY_THRESHOLD;
    const results = this.llm
      ? await this.viaLlm(this.llm, intents, threshold, body.phrases)
      : body.phrases.map((text) => this.offline(intents, threshold, text));
    const warnings = await this.review(intents, threshold);
    return { engine: this.llm ? 'llm' : 'offline', threshold, results, warnings };
  }

  private review(intents: IntentSpec[], threshold: number): Promise<IntentWarning[]> {
    const key = JSON.stringify([threshold, intents]);
    const cached = this.reviews.get(key);
    if (cached) {
      this.reviews.delete(key);
      this.reviews.set(key, cached);
      return cached;
    }
    const review = reviewIntents(intents, threshold);
    this.reviews.set(key, review);
    review.catch(() => this.reviews.delete(key));
    if (this.reviews.size > CACHED_REVIEWS) this.reviews.delete(this.reviews.keys().next().value as string);
    return review;
  }

  private offline(intents: IntentSpec[], threshold: number, text: string, llmError?: string): ClassifiedPhraseDto {
    const out = intentModel(intents).classify(text, threshold);
    return { ...phrase(text, out), engine: 'offline', ...(llmError ? { llmError } : {}) };
  }

  private async viaLlm(llm: AiEngine, intents: IntentSpec[], threshold: number, phrases: string[]): Promise<ClassifiedPhraseDto[]> {
    const results: ClassifiedPhraseDto[] = new Array(phrases.length);
    let failure: string | undefined;
    let next = 0;
    const lane = async () => {
      while (next < phrases.length) {
        const i = next++;
        const text = phrases[i];
        if (failure !== undefined) {
          results[i] = this.offline(intents, threshold, text, failure);
          continue;
        }
        try {
          results[i] = { ...phrase(text, await llm.classify({ text, intents, threshold })), engine: 'llm' };
        } catch (err) {
          failure ??= (err as Error).message || 'the LLM call failed';
          results[i] = this.offline(intents, threshold, text, failure);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LLM_CONCURRENCY, phrases.length) }, lane));
    return results;
  }
}

function phrase(text: string, out: Pick<ClassifyOutput, 'intent' | 'confidence' | 'scores'>): Omit<ClassifiedPhraseDto, 'engine'> {
  return { text, intent: out.intent, confidence: out.confidence, runnerUp: runnerUpOf(out.intent, out.scores) };
}
