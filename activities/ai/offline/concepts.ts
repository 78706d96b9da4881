import { CX_COMBINATIONS, CX_CONCEPTS } from './cx-lexicon';
import { StemLanguage, stemAs } from './stemming';
import { words } from './text';

/**
 * Finds the lexicon's concepts (cx-lexicon.ts) in a text. Matching is on stems of folded words, so
 * inflections, missing accents and capitals do not matter; phrases match first and consume their
 * words. The result is a list of concept names, one per occurrence, for term counting.
 */
interface Phrase {
  stems: string[];
  concept: string;
}

interface ConceptIndex {
  single: Map<string, string[]>;
  /** Phrases by their first stem, longest first. */
  phrases: Map<string, Phrase[]>;
  /** Every word the lexicon spells, for the typo corrector. */
  vocabulary: string[];
}

function buildIndex(concepts: Record<string, { es: string; en: string }>): ConceptIndex {
  const single = new Map<string, string[]>();
  const phrases = new Map<string, Phrase[]>();
  const vocabulary: string[] = [];
  for (const [concept, byLanguage] of Object.entries(concepts)) {
    for (const [language, entry] of (['es', 'en'] as const).flatMap((l) =>
      byLanguage[l]
        .split(/\s+/)
        .filter(Boolean)
        .map((e) => [l, e] as const),
    )) {
      const parts = entry.split('_').flatMap((part) => words(part));
      vocabulary.push(...parts);
      // Indexed as a text of its language stems it, and as a text of unknown language does (both
      // stemmers): never under the other language's rules, where false friends meet ("page", "pago").
      const variants = new Map<string, string[]>();
      for (const lang of [language, 'unknown'] as StemLanguage[]) {
        const stems = parts.map((p) => stemAs(p, lang));
        variants.set(stems.join(' '), stems);
      }
      for (const stems of variants.values()) {
        if (stems.length === 1) {
          const list = single.get(stems[0]) ?? [];
          if (!list.includes(concept)) list.push(concept);
          single.set(stems[0], list);
        } else if (stems.length > 1) {
          const list = phrases.get(stems[0]) ?? [];
          list.push({ stems, concept });
          list.sort((a, b) => b.stems.length - a.stems.length);
          phrases.set(stems[0], list);
        }
      }
    }
  }
  return { single, phrases, vocabulary };
}

const index = buildIndex(CX_CONCEPTS);

/** Words the lexicon knows (folded), so a typo of one of them can be corrected. */
export const LEXICON_VOCABULARY: readonly string[] = index.vocabulary;

/**
 * Concepts in a list of stems (every word of the text, stopwords included, in order). Stopwords count
 * inside phrases only ("dar de baja"), never alone: "para" must not stand for "parar".
 */
export function conceptsOfStems(stems: readonly string[], stopword: readonly boolean[] = []): string[] {
  const found: string[] = [];
  for (let i = 0; i < stems.length; i++) {
    const phrase = index.phrases.get(stems[i])?.find((p) => p.stems.every((s, k) => stems[i + k] === s));
    if (phrase) {
      found.push(phrase.concept);
      i += phrase.stems.length - 1;
      continue;
    }
    if (!stopword[i]) for (const concept of index.single.get(stems[i]) ?? []) found.push(concept);
  }
  for (const combination of CX_COMBINATIONS)
    if (!found.includes(combination.means) && combination.all.every((c) => found.includes(c))) found.push(combination.means);
  return found;
}
