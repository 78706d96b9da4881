import { createHash } from 'node:crypto';
import { calibrated, DEFAULT_CLASSIFY_THRESHOLD } from './calibration';
import { analyse } from './analyse';
import { LEXICON_VOCABULARY } from './concepts';
import { charTrigrams, contentWords, countTerms, createSpeller } from './text';

export { DEFAULT_CLASSIFY_THRESHOLD } from './calibration';

/**
 * The offline intent classifier: what a CX lead gave for each intent (its examples and its
 * description) against the customer's message, with no model to download and no network.
 *
 * Each intent's texts are its examples and its description (whole, and split into the parts it lists).
 * A text becomes three sparse TF-IDF vectors (analyse.ts):
 * - stems: Snowball stems of its content words, after correcting words that neither the intents nor
 *   the lexicon know to a known word one or two edits away ("reembolzo");
 * - concepts: the customer-service concepts it mentions (cx-lexicon.ts: "paquete", "pedido" and
 *   "order" all mention `order`), which bridge synonyms and the two languages;
 * - character trigrams of its content words, which survive typos the corrector leaves.
 * A term's document frequency counts INTENTS, not texts: a word every intent uses ("pedido" in a
 * shop) tells nothing, one only `refund` uses tells a lot.
 *
 * The similarity of two texts is `0.3 cos(stems) + 0.7 cos(concepts) + 0.1 cos(trigrams)` (weights
 * tuned on the evaluation set, bench/offline-ai-accuracy.ts); an intent's raw score is
 * `0.6 * (its best text) + 0.4 * (the centroid of its texts)`: one close example is strong evidence,
 * and the centroid lets the description and all examples add up.
 *
 * The confidence is not the raw score: calibration.ts maps the raw score and its margin over the
 * next intent to the probability that the answer is right, fitted on labelled phrases, so a
 * threshold of 0.7 means "answer when at least 70% likely to be right". Below the threshold the
 * answer is `intent: null` (the node's fallback branch). `scores` holds every intent's calibrated
 * score against its best rival, so the runner-up reads the same way.
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

/** The uncalibrated similarity of a text to each intent (for calibration and diagnostics). */
export interface RawScores {
  ids: string[];
  raw: number[];
}

type Vector = Map<string, number>;

/** A text as three sparse vectors: word stems, lexicon concepts, character trigrams. */
interface Encoded {
  stems: Vector;
  concepts: Vector;
  grams: Vector;
}

interface CompiledIntent {
  id: string;
  texts: Encoded[];
  centroid: Encoded;
}

export interface IntentModel {
  classify(text: string, threshold?: number): Classification;
  rawScores(text: string): RawScores;
}

/** How the similarities add up (defaults: see the header; tuned on the evaluation set, never on the blind set). */
export interface ScoringWeights {
  stems: number;
  concepts: number;
  grams: number;
  /** Share of the best single text in an intent's score; the rest is the centroid of its texts. */
  best: number;
  /** Query words no intent uses weigh in its norm at this share of the rarest weight. */
  unseen: number;
}

export const DEFAULT_WEIGHTS: ScoringWeights = { stems: 0.3, concepts: 0.7, grams: 0.1, best: 0.6, unseen: 0.5 };

function idfByIntent(perIntent: Map<string, number>[][]): { idf: Map<string, number>; unseen: number } {
  const df = new Map<string, number>();
  for (const texts of perIntent) {
    const seen = new Set<string>();
    for (const t of texts) for (const term of t.keys()) seen.add(term);
    for (const term of seen) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const n = perIntent.length;
  const idf = new Map<string, number>();
  // Smoothed IDF (as scikit-learn): never zero, so a term every intent shares still counts a little.
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

function centroidOf(vectors: Vector[]): Vector {
  const out: Vector = new Map();
  for (const v of vectors) for (const [term, w] of v) out.set(term, (out.get(term) ?? 0) + w);
  let norm = 0;
  for (const w of out.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, w] of out) out.set(term, w / norm);
  return out;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * A description enumerates what the intent covers ("Problemas con un cobro: cargo duplicado, importe
 * incorrecto o la factura"): each part counts as a short example of its own, and the whole as one more,
 * so a message about just one of them is close to something.
 */
export function descriptionParts(description: string | undefined): string[] {
  const whole = description?.trim();
  if (!whole) return [];
  const parts = whole
    .split(process.env.CAUCE_SPLIT === 'o' ? /[,;:.()]|\s(?:o|u|or|y|and)\s/ : /[,;:.()]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.length > 1 ? [whole, ...parts] : [whole];
}

/** Builds a model from the intents (no caching; see `intentModel`). */
export function trainIntentModel(intents: IntentSpec[], weights: ScoringWeights = DEFAULT_WEIGHTS): IntentModel {
  const textsOf = (i: IntentSpec) => [...i.examples, ...descriptionParts(i.description)];
  const speller = createSpeller([...intents.flatMap((i) => textsOf(i).flatMap(contentWords)), ...LEXICON_VOCABULARY]);
  const analysed = intents.map((i) => textsOf(i).map((t) => analyse(t, speller)));
  const stemCounts = analysed.map((texts) => texts.map((a) => countTerms(a.stems)));
  const conceptCounts = analysed.map((texts) => texts.map((a) => countTerms(a.concepts)));
  const gramCounts = intents.map((i) => textsOf(i).map((t) => countTerms(charTrigrams(t))));
  const stemIdf = idfByIntent(stemCounts);
  const conceptIdf = idfByIntent(conceptCounts);
  const gramIdf = idfByIntent(gramCounts);
  const compiled: CompiledIntent[] = intents.map((intent, i) => {
    const texts = stemCounts[i].map((_, j) => ({
      stems: weigh(stemCounts[i][j], stemIdf.idf, stemIdf.unseen, 1),
      concepts: weigh(conceptCounts[i][j], conceptIdf.idf, conceptIdf.unseen, 1),
      grams: weigh(gramCounts[i][j], gramIdf.idf, gramIdf.unseen, 1),
    }));
    return {
      id: intent.id,
      texts,
      centroid: {
        stems: centroidOf(texts.map((e) => e.stems)),
        concepts: centroidOf(texts.map((e) => e.concepts)),
        grams: centroidOf(texts.map((e) => e.grams)),
      },
    };
  });

  const similarity = (a: Encoded, b: Encoded) =>
    weights.stems * dot(a.stems, b.stems) + weights.concepts * dot(a.concepts, b.concepts) + weights.grams * dot(a.grams, b.grams);

  const ids = compiled.map((c) => c.id);

  function rawScores(text: string): RawScores {
    const a = analyse(text, speller);
    const query: Encoded = {
      stems: weigh(countTerms(a.stems), stemIdf.idf, stemIdf.unseen, weights.unseen),
      concepts: weigh(countTerms(a.concepts), conceptIdf.idf, conceptIdf.unseen, weights.unseen),
      grams: weigh(countTerms(charTrigrams(text)), gramIdf.idf, gramIdf.unseen, weights.unseen),
    };
    const raw = compiled.map((intent) => {
      let top = 0;
      for (const t of intent.texts) top = Math.max(top, similarity(query, t));
      return Math.min(1, Math.max(0, weights.best * top + (1 - weights.best) * similarity(query, intent.centroid)));
    });
    return { ids, raw };
  }

  return {
    rawScores,
    classify(text: string, threshold = DEFAULT_CLASSIFY_THRESHOLD): Classification {
      const { raw } = rawScores(text);
      // Each intent's rival is the best other one: the top intent's is the second, everyone else's the top.
      let first = 0;
      let second = 0;
      for (const r of raw) {
        if (r > first) [first, second] = [r, first];
        else if (r > second) second = r;
      }
      const scores: Record<string, number> = {};
      let bestId: string | null = null;
      let best = -1;
      for (let i = 0; i < ids.length; i++) {
        const rival = raw[i] === first ? second : first;
        const p = raw[i] > 0 ? calibrated(raw[i], raw[i] - rival, ids.length) : 0;
        scores[ids[i]] = round(p);
        if (p > best) {
          best = p;
          bestId = ids[i];
        }
      }
      const confidence = round(Math.max(0, best));
      return { intent: bestId !== null && confidence > 0 && confidence >= threshold ? bestId : null, confidence, scores };
    },
  };
}

const MAX_CACHED_MODELS = 200;
const cache = new Map<string, IntentModel>();

/** The model for these intents, from a small LRU cache keyed by a hash of the intents. */
export function intentModel(intents: IntentSpec[]): IntentModel {
  const key = createHash('sha256')
    .update(JSON.stringify(intents.map((i) => [i.id, i.examples, i.description ?? ''])))
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
