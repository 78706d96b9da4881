/**
 * Text normalisation shared by the offline classifier, sentiment, retrieval and summary:
 * fold (lowercase, strip accents), tokenize, drop Spanish and English stopwords, stem (Snowball).
 * Everything here is deterministic and runs in-process.
 */

/** Lowercase and strip diacritics: "Facturación" -> "facturacion", "AÑO" -> "ano". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Folded word tokens (letters and digits; apostrophes kept inside words: "don't"). */
export function words(text: string): string[] {
  const folded = fold(text).replace(/[\u2019\u2018`´]/g, "'");
  return folded.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
}

// Function words: used both to drop noise and to tell the two languages apart.
const ES_FUNCTION = `a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo cada casi como con contra cual
cuales cuando cuanto de del desde donde dos el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta
estaba estado estais estamos estan estar estas este esto estos estoy fue fueron fui ha habia han has hasta hay he la las le
les lo los me mi mis mas mucho muy nos nosotros o otra otro para pero poco por porque que quien se sea ser si sido sin sobre
soy su sus tambien te tiene tienen tengo tu tus un una unas uno unos usted ustedes vosotros y ya yo hace hacer cuando mio mia`;
const EN_FUNCTION = `a about above after again all am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers herself him himself
his how i if in into is it its itself just me more most my myself of off on once only or other our ours out over own same she
should so some such than that the their theirs them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself i'm it's i've i'd you're that's there's`;
/** Politeness and request filler that carries no topic: dropped by the classifier and retrieval. */
const FILLER = `hola buenas buenos tardes noches gracias favor quiero quisiera queria necesito necesitaria saber puedo podria podrian
puede pueden gustaria ayuda ayudar ayudame ayudarme hello hi hey thanks thank please want wanted need needed know help
could would like dear estimado estimada saludos regards ok okay vale bueno`;

const toSet = (s: string) => new Set(s.split(/\s+/).filter(Boolean));
export const SPANISH_STOPWORDS = toSet(ES_FUNCTION);
export const ENGLISH_STOPWORDS = toSet(EN_FUNCTION);
const STOPWORDS = new Set([...SPANISH_STOPWORDS, ...ENGLISH_STOPWORDS, ...toSet(FILLER)]);

// Words that are function words in both languages and so tell nothing about the language.
const AMBIGUOUS = new Set(['a', 'no', 'me', 'he', 'son', 'i', 'o', 'y', 'as', 'en', 'so', 'un', 'at', 'the']);
const ES_ONLY = new Set([...SPANISH_STOPWORDS].filter((w) => !ENGLISH_STOPWORDS.has(w) && !AMBIGUOUS.has(w)));
const EN_ONLY = new Set([...ENGLISH_STOPWORDS].filter((w) => !SPANISH_STOPWORDS.has(w) && !AMBIGUOUS.has(w)));
// A few frequent content words that are unmistakably one language, for very short texts.
const ES_HINTS = toSet('no gracias hola quiero necesito tengo pedido factura ayuda bien mal gusta nada nunca cuenta problema');
const EN_HINTS = toSet('not thanks hello want need order invoice help good bad like never nothing account problem please');

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/**
 * Language by counting function words of each language (plus a few telltale words and `ñ ¿ ¡`).
 * 'unknown' when there is no evidence or it is a tie.
 */
export function detectLanguage(text: string): 'es' | 'en' | 'unknown' {
  let es = /[ñ¿¡]/i.test(text) ? 2 : 0;
  let en = 0;
  for (const w of words(text)) {
    if (ES_ONLY.has(w)) es += 1;
    else if (EN_ONLY.has(w)) en += 1;
    if (ES_HINTS.has(w)) es += 0.5;
    if (EN_HINTS.has(w)) en += 0.5;
    if (/'(t|s|m|re|ve|ll|d)$/.test(w)) en += 1;
  }
  if (/[áéíóú]/i.test(text)) es += 1;
  if (es === en) return 'unknown';
  return es > en ? 'es' : 'en';
}

/** The locale prefix if it is one we speak ('es-MX' -> 'es'), else undefined. */
export function languageOfLocale(locale: string | undefined | null): 'es' | 'en' | undefined {
  const lang = locale?.toLowerCase().slice(0, 2);
  return lang === 'es' || lang === 'en' ? lang : undefined;
}

// ---- Stemming: Snowball, see stemming.ts -----------------------------------------------------
export { stem } from './stemming';

/** Content words of a text: folded, without stopwords, not stemmed. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const bare = w.replace(/'.*$/, '');
    if (bare.length < 2 || isStopword(w) || isStopword(bare)) continue;
    out.push(bare);
  }
  return out;
}

// ---- Typo tolerance -----------------------------------------------------------------------------
export interface Speller {
  /** The closest known word within the allowed edits, or the word itself. */
  correct(word: string): string;
}

/** Edit distance with adjacent transpositions (optimal string alignment), giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/**
 * A speller over a known vocabulary: words of 5+ letters may be one edit off, 9+ letters two.
 * Shorter words are left alone (too many false friends). Ties go to the more frequent word.
 */
export function createSpeller(vocabulary: Iterable<string>): Speller {
  const counts = new Map<string, number>();
  for (const w of vocabulary) counts.set(w, (counts.get(w) ?? 0) + 1);
  const byLength = new Map<number, string[]>();
  for (const w of counts.keys()) {
    if (w.length < 4) continue;
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const memo = new Map<string, string>();
  return {
    correct(word: string): string {
      if (word.length < 5 || counts.has(word) || /\d/.test(word)) return word;
      const cached = memo.get(word);
      if (cached !== undefined) return cached;
      const max = word.length >= 9 ? 2 : 1;
      let best = word;
      let bestDistance = max + 1;
      let bestCount = 0;
      for (let len = word.length - max; len <= word.length + max; len++) {
        for (const candidate of byLength.get(len) ?? []) {
          const d = editDistance(word, candidate, max);
          const count = counts.get(candidate) ?? 0;
          if (d < bestDistance || (d === bestDistance && d <= max && count > bestCount)) {
            best = candidate;
            bestDistance = d;
            bestCount = count;
          }
        }
      }
      if (memo.size > 10_000) memo.clear();
      memo.set(word, best);
      return best;
    },
  };
}

/** Character trigrams of each content word, with word boundaries: robust to typos ("factrua"). */
export function charTrigrams(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const bare = w.replace(/'.*$/, '');
    if (bare.length < 3 || isStopword(w) || isStopword(bare)) continue;
    const padded = `#${bare}#`;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

/** Term frequencies of a list of terms. */
export function countTerms(list: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Splits text into sentences (keeps the terminator). */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?¡¿\n]+[.!?]*|[.!?]+/g) ?? []).map((s) => s.trim()).filter(Boolean);
}
