import { DEFAULT_CLASSIFY_THRESHOLD, trainIntentModel, type IntentSpec } from './offline/classifier';

/**
 * What a CX lead can fix in an `ai.classify` node's intents before a customer meets them: too few
 * examples, the same example under two intents, and examples that read like another intent. The
 * editor's «Probar frases» box shows these (POST /api/ai/classify/try); the offline classifier judges
 * the overlap whatever engine answers the node, because it is the fallback of every engine.
 */
export type IntentWarningCode = 'few-examples' | 'duplicate-example' | 'overlap';

export interface IntentWarning {
  code: IntentWarningCode;
  /** The intent to change. */
  intent: string;
  /** The other intent involved (duplicate-example, overlap). */
  other?: string;
  /** The example involved, as the lead wrote it (duplicate-example, overlap). */
  example?: string;
  message: { es: string; en: string };
}

/** Below this many examples the classifier has too little to tell an intent from its neighbours. */
export const MIN_EXAMPLES = 3;
/**
 * Leave-one-out trains one model per example checked, over every other example: with the node's
 * limits (30 intents × 100 examples) that would be 3,000 trainings of 3,000 examples each, and a
 * training of 20 intents × 5 examples takes ~8 ms. So only the first examples of each intent are
 * checked and trained on, and the examples trained on, summed over the checks, stay under a budget:
 * 20 intents × 3 examples (what a CX lead types) are checked in full (60 trainings of 59 examples),
 * 20 × 5 the first four of each, 30 × 10 the first example of 26 intents: earlier examples go first.
 */
export const MAX_CHECKED_PER_INTENT = 10;
export const TRAINING_BUDGET = 8_000;

/** The same example written with other capitals, accents, punctuation or spacing. */
export function sameExampleKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function fewExamples(intent: IntentSpec): IntentWarning {
  const n = intent.examples.length;
  return {
    code: 'few-examples',
    intent: intent.id,
    message: {
      es: `\`${intent.id}\` tiene ${n} ${n === 1 ? 'ejemplo' : 'ejemplos'}: con menos de ${MIN_EXAMPLES} el clasificador se confunde con facilidad; añade frases como las que escriben tus clientes.`,
      en: `\`${intent.id}\` has ${n} ${n === 1 ? 'example' : 'examples'}: with fewer than ${MIN_EXAMPLES} the classifier is easily confused; add phrases the way your customers write them.`,
    },
  };
}

/** One warning per pair of intents sharing an example (the first intent that has it is `intent`). */
function duplicates(intents: IntentSpec[]): IntentWarning[] {
  const firstOwner = new Map<string, { intent: string; example: string }>();
  const warnings: IntentWarning[] = [];
  const reported = new Set<string>();
  for (const intent of intents) {
    for (const example of intent.examples) {
      const key = sameExampleKey(example);
      if (!key) continue;
      const owner = firstOwner.get(key);
      if (!owner) {
        firstOwner.set(key, { intent: intent.id, example });
        continue;
      }
      const pair = `${owner.intent}\u0000${intent.id}\u0000${key}`;
      if (owner.intent === intent.id || reported.has(pair)) continue;
      reported.add(pair);
      warnings.push({
        code: 'duplicate-example',
        intent: owner.intent,
        other: intent.id,
        example: owner.example,
        message: {
          es: `El ejemplo «${owner.example}» está en \`${owner.intent}\` y en \`${intent.id}\`: déjalo solo en la intención a la que pertenece.`,
          en: `The example “${owner.example}” is in both \`${owner.intent}\` and \`${intent.id}\`: keep it only in the intent it belongs to.`,
        },
      });
    }
  }
  return warnings;
}

/**
 * Each checked example, left out of its own intent, is classified by a model of every other
 * example: when another intent wins with a confidence at or over the threshold, a customer who
 * writes like that example would go to the wrong branch. Examples already reported as duplicates
 * are skipped (they overlap by construction).
 */
async function overlaps(intents: IntentSpec[], threshold: number, duplicated: Set<string>): Promise<IntentWarning[]> {
  const trained = intents.map((i) => ({ ...i, examples: i.examples.slice(0, MAX_CHECKED_PER_INTENT) }));
  const modelSize = trained.reduce((n, i) => n + i.examples.length, 0) - 1;
  let budget = TRAINING_BUDGET;
  const found: { order: number; warning: IntentWarning }[] = [];
  // Round-robin over the intents, so the budget reaches every intent rather than the first ones only.
  for (let j = 0; j < MAX_CHECKED_PER_INTENT && budget >= modelSize; j++) {
    for (let i = 0; i < trained.length && budget >= modelSize; i++) {
      const intent = trained[i];
      const example = intent.examples[j];
      if (example === undefined || duplicated.has(sameExampleKey(example))) continue;
      budget -= modelSize;
      // A review trains up to ~80 models (~0.6 s): the API's other requests (chat turns) go between them.
      await new Promise((resolve) => setImmediate(resolve));
      const rest = trained
        .map((other, k) => (k === i ? { ...other, examples: other.examples.filter((_, e) => e !== j) } : other))
        // An intent left with no example cannot win; a model may refuse an empty intent.
        .filter((other) => other.examples.length > 0);
      if (rest.length === 0) continue;
      // Trained directly, not through the model cache: these models are thrown away.
      const result = trainIntentModel(rest).classify(example, threshold);
      if (result.intent === null || result.intent === intent.id) continue;
      const pct = Math.round(result.confidence * 100);
      found.push({
        order: i * MAX_CHECKED_PER_INTENT + j,
        warning: {
          code: 'overlap',
          intent: intent.id,
          other: result.intent,
          example,
          message: {
            es: `El ejemplo «${example}» de \`${intent.id}\` se parece más a \`${result.intent}\` (${pct} %): reescríbelo o muévelo.`,
            en: `The example “${example}” of \`${intent.id}\` looks more like \`${result.intent}\` (${pct}%): rewrite or move it.`,
          },
        },
      });
    }
  }
  // In the order the lead reads them: by intent, then by example.
  return found.sort((a, b) => a.order - b.order).map((f) => f.warning);
}

/**
 * The warnings for a node's intents, in the order to fix them: intents with too few examples,
 * examples in two intents, examples that read like another intent. `threshold` is the node's
 * (default: the classifier's own), so an overlap is reported only when it would change the branch.
 */
export async function reviewIntents(intents: IntentSpec[], threshold: number = DEFAULT_CLASSIFY_THRESHOLD): Promise<IntentWarning[]> {
  const few = intents.filter((i) => i.examples.length < MIN_EXAMPLES).map(fewExamples);
  const dups = duplicates(intents);
  const duplicated = new Set(dups.map((d) => sameExampleKey(d.example ?? '')));
  return [...few, ...dups, ...(await overlaps(intents, threshold, duplicated))];
}
