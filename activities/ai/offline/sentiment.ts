import { CONTRAST, EMOJI_VALENCE, INTENSIFIERS, LEXICON_SOURCE, NEGATORS, parseLexicon } from './lexicon';
import { stemAs } from './stemming';
import { detectLanguage, fold } from './text';

/**
 * Offline sentiment, in the spirit of VADER, for Spanish and English:
 * - words and phrases from the lexicon add their valence (phrases first, longest match);
 * - a negator up to 4 words before ("no", "not", "nunca", "never", "sin", ...) flips and damps it (x -0.75);
 * - an intensifier right before ("muy", "very", "super", ...) scales it; a word in CAPITALS weighs 1.25x;
 * - after a contrast word ("pero", "but") the clause weighs 1.5x and the one before 0.5x;
 * - emojis and emoticons add their valence; each "!" (up to 4) pushes the total 0.3 further;
 * - the total is squashed to -1..1 with `x / sqrt(x^2 + 15)`.
 * Labels: score <= -0.25 negative, >= 0.25 positive, neutral in between.
 */
export interface SentimentResult {
  label: 'negative' | 'neutral' | 'positive';
  score: number;
  language: 'es' | 'en' | 'unknown';
}

export const NEGATIVE_THRESHOLD = -0.25;
export const POSITIVE_THRESHOLD = 0.25;
const NEGATION_FACTOR = -0.75;
const NEGATION_WINDOW = 4;
const ALPHA = 15;

interface Lexicon {
  words: Map<string, number>;
  /** By the language of the entry, each stemmed by its own language's rules ("can" must not find "cansado"). */
  stems: { es: Map<string, number>; en: Map<string, number> };
  phrases: Map<string, number>;
  maxPhraseLength: number;
}

function buildLexicon(): Lexicon {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  const wordsOf = { es: new Map<string, number>(), en: new Map<string, number>() };
  for (const lang of ['es', 'en'] as const) {
    for (const [entry, weight] of parseLexicon(LEXICON_SOURCE[lang])) {
      const key = fold(entry);
      if (key.includes(' ')) phrases.set(key, weight);
      else {
        words.set(key, weight);
        wordsOf[lang].set(key, weight);
      }
    }
  }
  for (const phrase of CONTRAST) if (phrase.includes(' ')) phrases.set(phrase, 0);
  const stems = { es: stemIndex(wordsOf.es, 'es'), en: stemIndex(wordsOf.en, 'en') };
  const maxPhraseLength = Math.max(1, ...[...phrases.keys()].map((p) => p.split(' ').length));
  return { words, stems, phrases, maxPhraseLength };
}

/** Stems of one language's words; stems that would be ambiguous (a positive and a negative word sharing one) are left out. */
function stemIndex(words: Map<string, number>, lang: 'es' | 'en'): Map<string, number> {
  const stems = new Map<string, number>();
  const conflicted = new Set<string>();
  for (const [word, weight] of words) {
    const s = stemAs(word, lang);
    const seen = stems.get(s);
    if (seen !== undefined && Math.sign(seen) !== Math.sign(weight)) conflicted.add(s);
    if (seen === undefined || Math.abs(weight) > Math.abs(seen)) stems.set(s, weight);
  }
  for (const s of conflicted) stems.delete(s);
  return stems;
}

/** A word's weight by its stem, in the text's language (both, Spanish first, when it cannot be told). */
function weightByStem(lex: Lexicon, word: string, lang: 'es' | 'en' | 'unknown'): number | undefined {
  if (lang !== 'unknown') return lex.stems[lang].get(stemAs(word, lang));
  return lex.stems.es.get(stemAs(word, 'es')) ?? lex.stems.en.get(stemAs(word, 'en'));
}

let lexicon: Lexicon | undefined;
const getLexicon = () => (lexicon ??= buildLexicon());

interface Token {
  /** Folded text, or a punctuation run. */
  text: string;
  raw: string;
  punct: boolean;
}

function tokenize(text: string): Token[] {
  const plain = text.replace(/[\u2019\u2018`´]/g, "'");
  const out: Token[] = [];
  for (const m of plain.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?|[.,;:!?¿¡]+/gu)) {
    const raw = m[0];
    out.push({ raw, text: fold(raw), punct: !/[\p{L}\p{N}]/u.test(raw) });
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const EMOJIS = Object.entries(EMOJI_VALENCE).map(([key, weight]) => {
  const plain = key.replace(/\uFE0F/g, '');
  const ascii = /^[\x20-\x7e]+$/.test(plain);
  // Emoticons only count as separate tokens, so "https://" is not a ":/".
  const pattern = ascii ? new RegExp(`(?:^|\\s)${escapeRegExp(plain)}(?=$|\\s|[.,!?])`, 'g') : new RegExp(escapeRegExp(plain), 'gu');
  return { pattern, weight };
});

function emojiValence(text: string): number {
  const plain = text.replace(/\uFE0F/g, '');
  let total = 0;
  for (const { pattern, weight } of EMOJIS) {
    const matches = plain.match(pattern);
    if (matches) total += weight * matches.length;
  }
  return total;
}

export function analyzeSentiment(text: string): SentimentResult {
  const lex = getLexicon();
  const lang = detectLanguage(text);
  const tokens = tokenize(text);
  const units: { index: number; value: number }[] = [];
  let contrastAt = -1;
  // Tokens inside a matched phrase ("no funciona", "doesn't work"): a negator there belongs to the
  // phrase and does not also negate the words after it ("no funciona y estoy harta").
  const inPhrase = new Set<number>();

  for (let i = 0; i < tokens.length;) {
    if (tokens[i].punct) {
      i += 1;
      continue;
    }
    // Longest phrase first.
    let matched = 0;
    let value: number | undefined;
    for (let n = Math.min(lex.maxPhraseLength, tokens.length - i); n >= 2; n--) {
      const slice = tokens.slice(i, i + n);
      if (slice.some((t) => t.punct)) continue;
      const phrase = slice.map((t) => t.text).join(' ');
      if (lex.phrases.has(phrase)) {
        matched = n;
        value = lex.phrases.get(phrase);
        for (let k = i; k < i + n; k++) inPhrase.add(k);
        if (CONTRAST.has(phrase)) contrastAt = i;
        break;
      }
    }
    if (!matched) {
      const word = tokens[i].text;
      matched = 1;
      if (CONTRAST.has(word)) contrastAt = i;
      else if (!NEGATORS.has(word) && !(word in INTENSIFIERS)) value = lex.words.get(word) ?? weightByStem(lex, word, lang);
    }
    if (value) {
      let v = value;
      const raw = tokens
        .slice(i, i + matched)
        .map((t) => t.raw)
        .join('');
      if (raw.length >= 3 && raw === raw.toUpperCase() && raw !== raw.toLowerCase()) v *= 1.25;
      v *= intensity(tokens, i);
      if (negated(tokens, i, inPhrase)) v *= NEGATION_FACTOR;
      units.push({ index: i, value: v });
    }
    i += matched;
  }

  let sum = 0;
  for (const u of units) {
    const weight = contrastAt < 0 ? 1 : u.index > contrastAt ? 1.5 : 0.5;
    sum += u.value * weight;
  }
  sum += emojiValence(text);
  const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
  if (sum !== 0) sum += Math.sign(sum) * 0.3 * exclamations;

  const score = Math.round((sum / Math.sqrt(sum * sum + ALPHA)) * 1e4) / 1e4;
  const label = score <= NEGATIVE_THRESHOLD ? 'negative' : score >= POSITIVE_THRESHOLD ? 'positive' : 'neutral';
  return { label, score: Object.is(score, -0) ? 0 : score, language: lang };
}

/** The product of the intensifiers just before position i (up to two words back). */
function intensity(tokens: Token[], i: number): number {
  let factor = 1;
  for (let j = i - 1; j >= Math.max(0, i - 2); j--) {
    const t = tokens[j];
    if (t.punct) break;
    const f = INTENSIFIERS[t.text];
    if (f === undefined) break;
    factor *= f;
  }
  return factor;
}

/** Whether a negator occurs within the window before position i, in the same clause and not inside a matched phrase. */
function negated(tokens: Token[], i: number, inPhrase: Set<number> = new Set()): boolean {
  for (let j = i - 1, seen = 0; j >= 0 && seen < NEGATION_WINDOW; j--, seen++) {
    const t = tokens[j];
    if (t.punct || CONTRAST.has(t.text)) return false;
    if (NEGATORS.has(t.text) && !inPhrase.has(j)) return true;
  }
  return false;
}
