import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as spanishStemmer } from '@orama/stemmers/spanish';

/**
 * Stems for matching, from the Snowball algorithms (Spanish and English) as @orama/stemmers ships
 * them.
 *
 * A text whose language is known is stemmed with that language's rules only: chaining both would
 * make false friends meet ("page" and "pago" both become "pag"). A text too short to tell ("refund
 * pls", "factura duplicada") goes through both, Spanish then English, so the same word always gives
 * the same stem whichever text it appears in: Spanish joins "pedido/pedidos",
 * "facturar/facturación"; English then joins "refund/refunds/refunded" and leaves Spanish stems alone.
 * Words ending in "-ed" or "-ing" take English first ("shipped" would otherwise stay "shipp").
 *
 * Input is a folded word (lowercase, no accents; see text.ts). Snowball's Spanish rules expect the
 * accents of "-ción", "-sión", "-áis" and "-éis", which customers often leave out, so those endings get theirs back
 * before stemming: "facturacion" and "facturación" both stem to "factur". Other lost accents rarely
 * change a Spanish stem, and both spellings take the same path anyway, since the input is folded.
 * Spanish verbs whose stem vowel changes ("devolver/devuelven", "poder/puede") are joined after
 * stemming by a short table.
 */
export type StemLanguage = 'es' | 'en' | 'unknown';

const MIN_LENGTH = 3;
const MAX_MEMO = 50_000;
const memo: Record<StemLanguage, Map<string, string>> = { es: new Map(), en: new Map(), unknown: new Map() };

/** Stems of Spanish verbs whose vowel changes in the present tense, to the infinitive's stem. */
const SPANISH_VOWEL_CHANGE: Record<string, string> = {
  devuelv: 'devolv',
  vuelv: 'volv',
  pued: 'pod',
  quier: 'quer',
  muev: 'mov',
  encuentr: 'encontr',
  pierd: 'perd',
  cuest: 'cost',
  prueb: 'prob',
  recuerd: 'record',
  entiend: 'entend',
  empiez: 'empez',
  sirv: 'serv',
  pid: 'ped',
};

function restoreSuffixAccent(word: string): string {
  if (word.endsWith('cion')) return `${word.slice(0, -4)}ción`;
  if (word.endsWith('sion')) return `${word.slice(0, -4)}sión`;
  // Vosotros verb endings: "aceptais", "podeis" (Spain's chat style drops their accents).
  if (word.length > 5 && word.endsWith('ais')) return `${word.slice(0, -3)}áis`;
  if (word.length > 5 && word.endsWith('eis')) return `${word.slice(0, -3)}éis`;
  return word;
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

function spanish(word: string): string {
  const s = fold(spanishStemmer(restoreSuffixAccent(word)));
  return SPANISH_VOWEL_CHANGE[s] ?? s;
}

function compute(word: string, lang: StemLanguage): string {
  if (lang === 'es') return spanish(word);
  if (lang === 'en') return englishStemmer(word);
  return /(ed|ing)$/.test(word) ? spanish(englishStemmer(word)) : englishStemmer(spanish(word));
}

/** The stem of a folded word, by the rules of the text's language ('unknown': both, see above). */
export function stemAs(word: string, lang: StemLanguage): string {
  if (word.length <= MIN_LENGTH || /\d/.test(word)) return word;
  const cache = memo[lang];
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  let out = compute(word, lang);
  // Never stem a word down to one or two letters ("red" -> "r"): too many false matches.
  if (out.length < MIN_LENGTH) out = word;
  if (cache.size >= MAX_MEMO) cache.clear();
  cache.set(word, out);
  return out;
}

/** The stem of a folded word of a text in either language: retrieval, sentiment. */
export function stem(word: string): string {
  return stemAs(word, 'unknown');
}
