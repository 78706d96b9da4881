import { createHash } from 'node:crypto';
import { charTrigrams, contentWords, countTerms, createSpeller, terms } from './text';

/**
 * The offline intent classifier: TF-IDF vectors over the node's own examples, trained at call time
 * and cached by a hash of the intents.
 *
 * Each text becomes two sparse vectors: stemmed content words, and character trigrams of the words
 * (which survive typos and missing accents). Words of the text that no example uses are first
 * corrected to an example word one edit away ("factrua" -> "factura"). The similarity of a text to an
 * example is `0.65 * cos(words) + 0.35 * cos(trigrams)`. An intent's score is
 * `0.7 * (best example) + 0.3 * (centroid of all its examples)`: one close example is strong evidence,
 * and an intent whose examples all share the text's words gets a little more. Scores are in 0..1;
 * the confidence is the best intent's score, and below the threshold the answer is `intent: null`.
 */
export interface IntentSpec {
  id: string;
  examples: string[];
  description?: string;
}

export interface Classification {
  intent: string | null;
  confidence: number;
  scores: Record<string, number>;
}

export const DEFAULT_CLASSIFY_THRESHOLD = 0.35;

type Vector = Map<string, number>;

interface Encoded {
  words: Vector;
  grams: Vector;
}

interface CompiledIntent {
  id: string;
  examples: Encoded[];
  centroid: Encoded;
}

export interface IntentModel {
  classify(text: string, threshold?: number): Classification;
}

const WORD_WEIGHT = 0.65;
const GRAM_WEIGHT = 1 - WORD_WEIGHT;
const BEST_WEIGHT = 0.7;
const CENTROID_WEIGHT = 1 - BEST_WEIGHT;

function idfTable(docs: Map<string, number>[]): { idf: Map<string, number>; unseen: number } {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  const idf = new Map<string, number>();
  // Smoothed IDF (as scikit-learn): never zero, so a term shared by every example still counts a little.
  for (const [term, d] of df) idf.set(term, Math.log((1 + n) / (1 + d)) + 1);
  return { idf, unseen: Math.log(1 + n) + 1 };
}

function weigh(counts: Map<string, number>, idf: Map<string, number>, unseen: number, unseenFactor: number): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [term, tf] of counts) {
    const known = idf.get(term);
    const w = (1 + Math.log(tf)) * (known ?? unseen * unseenFactor);
    v.set(term, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, w] of v) v.set(term, w / norm);
  return v;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, w] of small) {
    const other = large.get(term);
    if (other !== undefined) sum += w * other;
  }
  return sum;
}

function normalise(v: Vector): Vector {
  let norm = 0;
  for (const w of v.values()) norm += w * w;
  norm = Math.sqrt(norm);
  const out: Vector = new Map();
  if (norm > 0) for (const [term, w] of v) out.set(term, w / norm);
  return out;
}

function sum(vectors: Vector[]): Vector {
  const out: Vector = new Map();
  for (const v of vectors) for (const [term, w] of v) out.set(term, (out.get(term) ?? 0) + w);
  return normalise(out);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Builds a model from the intents (no caching; see `intentModel`). */
export function trainIntentModel(intents: IntentSpec[]): IntentModel {
  const speller = createSpeller(intents.flatMap((i) => i.examples.flatMap(contentWords)));
  const wordCounts = intents.map((i) => i.examples.map((e) => countTerms(terms(e))));
  const gramCounts = intents.map((i) => i.examples.map((e) => countTerms(charTrigrams(e))));
  const wordIdf = idfTable(wordCounts.flat());
  const gramIdf = idfTable(gramCounts.flat());
  const compiled: CompiledIntent[] = intents.map((intent, i) => {
    const examples = intent.examples.map((_, j) => ({
      words: weigh(wordCounts[i][j], wordIdf.idf, wordIdf.unseen, 1),
      grams: weigh(gramCounts[i][j], gramIdf.idf, gramIdf.unseen, 1),
    }));
    return {
      id: intent.id,
      examples,
      centroid: { words: sum(examples.map((e) => e.words)), grams: sum(examples.map((e) => e.grams)) },
    };
  });

  const similarity = (a: Encoded, b: Encoded) => WORD_WEIGHT * dot(a.words, b.words) + GRAM_WEIGHT * dot(a.grams, b.grams);

  return {
    classify(text: string, threshold = DEFAULT_CLASSIFY_THRESHOLD): Classification {
      // Words never seen in any example still weigh in the text's norm, but at half the rarest
      // weight: off-topic chatter dilutes the match without drowning a clear keyword.
      const query: Encoded = {
        words: weigh(countTerms(terms(text, speller)), wordIdf.idf, wordIdf.unseen, 0.5),
        grams: weigh(countTerms(charTrigrams(text)), gramIdf.idf, gramIdf.unseen, 0.5),
      };
      const scores: Record<string, number> = {};
      let bestId: string | null = null;
      let best = 0;
      for (const intent of compiled) {
        let top = 0;
        for (const example of intent.examples) top = Math.max(top, similarity(query, example));
        const score = Math.min(1, Math.max(0, BEST_WEIGHT * top + CENTROID_WEIGHT * similarity(query, intent.centroid)));
        scores[intent.id] = round(score);
        if (score > best) {
          best = score;
          bestId = intent.id;
        }
      }
      const confidence = round(best);
      return { intent: bestId !== null && confidence >= threshold ? bestId : null, confidence, scores };
    },
  };
}

const MAX_CACHED_MODELS = 200;
const cache = new Map<string, IntentModel>();

/** The model for these intents, from a small LRU cache keyed by a hash of the intents. */
export function intentModel(intents: IntentSpec[]): IntentModel {
  const key = createHash('sha256')
    .update(JSON.stringify(intents.map((i) => [i.id, i.examples])))
    .digest('hex');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const model = trainIntentModel(intents);
  cache.set(key, model);
  if (cache.size > MAX_CACHED_MODELS) cache.delete(cache.keys().next().value as string);
  return model;
}
