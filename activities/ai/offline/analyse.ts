import { conceptsOfStems } from './concepts';
import { stemAs } from './stemming';
import { detectLanguage, isStopword, Speller, words } from './text';

/**
 * What the offline AI matches on, for the classifier and for knowledge-base retrieval alike: the
 * stems of a text's content words (by the rules of its language, see stemming.ts) and the
 * customer-service concepts it mentions (cx-lexicon.ts), after correcting words the speller does not
 * know to a known one ("reembolzo" -> "reembolso").
 */
export interface Analysed {
  stems: string[];
  concepts: string[];
}

/**
 * Only this many words of a text go through the typo corrector (the costly part: each unknown word is
 * compared with the vocabulary). A customer's point is in its first words; a 20,000-character paste
 * is still matched whole, just without corrections past these, so it cannot hold the worker for long.
 */
export const MAX_CORRECTED_WORDS = 200;

/** The analysed terms of a text: stems of its content words, and the lexicon's concepts in it. */
export function analyse(text: string, speller?: Speller): Analysed {
  const lang = detectLanguage(text);
  const stems: string[] = [];
  const stopwords: boolean[] = [];
  const content: string[] = [];
  for (const w of words(text)) {
    const bare = w.replace(/'.*$/, '');
    const stop = isStopword(w) || isStopword(bare);
    const corrected = speller && !stop && stems.length < MAX_CORRECTED_WORDS ? speller.correct(bare) : bare;
    const s = stemAs(corrected, lang);
    stems.push(s);
    stopwords.push(stop);
    if (!stop && bare.length >= 2) content.push(s);
  }
  return { stems: content, concepts: conceptsOfStems(stems, stopwords) };
}

/** Concept terms carry this prefix where they share a vector with stems (retrieval). */
export const CONCEPT_PREFIX = '@';

/** Stems and prefixed concepts in one list, for retrieval. */
export function analysedTerms(text: string, speller?: Speller): string[] {
  const a = analyse(text, speller);
  return [...a.stems, ...a.concepts.map((c) => CONCEPT_PREFIX + c)];
}
