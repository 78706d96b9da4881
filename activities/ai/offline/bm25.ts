import { analysedTerms } from './analyse';
import { LEXICON_VOCABULARY } from './concepts';
import { contentWords, countTerms, createSpeller, sentences, Speller } from './text';

/**
 * Okapi BM25 over knowledge-base articles (title + body, the title counted twice), on the terms of
 * analyse.ts: Snowball stems of content words plus the customer-service concepts of cx-lexicon.ts
 * (so "paquete" finds an article about "pedidos", "refund" one about "reembolsos"), with typo
 * correction of query words against the index's and the lexicon's vocabulary.
 *
 * Confidence. Raw BM25 scores are unbounded, so each hit also gets a confidence in 0..1:
 * `min(1, score / ideal)` where `ideal = sum over the query's terms of idf(term)` is the score of an
 * average-length article that contains every query term once (a BM25 term contributes exactly its
 * idf at tf = 1 and average length). It reads as the idf-weighted share of the question found in
 * the article. Query terms the index has never seen count with BM25's own idf for df = 0 (the
 * highest there is): a question about something the knowledge base never mentions gets a low
 * confidence even when one of its words happens to match.
 */
export interface IndexedDocument {
  id: string;
  title: string;
  body: string;
}

export interface Bm25Hit {
  id: string;
  /** Raw BM25 score. */
  score: number;
  /** 0..1, see above. */
  confidence: number;
}

export interface QueryTerm {
  term: string;
  weight: number;
}

const K1 = 1.2;
const B = 0.75;
const TITLE_BOOST = 2;
/**
 * A help centre is organised by its titles: a query term found in an article's title adds this share
 * of its idf on top of the body's BM25 (which saturates, so an article that only mentions a word
 * often cannot outrank the one titled by it).
 */
const TITLE_FIELD = 1;

export class Bm25Index {
  private readonly docs: { id: string; tf: Map<string, number>; title: Set<string>; length: number }[] = [];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly speller: Speller;

  constructor(documents: IndexedDocument[]) {
    const vocabulary: string[] = [];
    let total = 0;
    for (const d of documents) {
      const titleWords = contentWords(d.title);
      const bodyWords = contentWords(d.body);
      vocabulary.push(...titleWords, ...bodyWords);
      const list: string[] = [];
      const titleTerms = analysedTerms(d.title);
      for (let i = 0; i < TITLE_BOOST; i++) list.push(...titleTerms);
      list.push(...analysedTerms(d.body));
      const tf = countTerms(list);
      for (const term of tf.keys()) this.df.set(term, (this.df.get(term) ?? 0) + 1);
      this.docs.push({ id: d.id, tf, title: new Set(titleTerms), length: list.length });
      total += list.length;
    }
    this.avgLength = this.docs.length ? total / this.docs.length : 1;
    this.speller = createSpeller([...vocabulary, ...LEXICON_VOCABULARY]);
  }

  get size(): number {
    return this.docs.length;
  }

  idf(term: string): number {
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The query's terms (corrected, stemmed, counted) with weight 1 each occurrence. */
  queryTerms(text: string, weight = 1): QueryTerm[] {
    const counts = countTerms(analysedTerms(text, this.speller));
    return [...counts].map(([term, count]) => ({ term, weight: weight * count }));
  }

  search(query: string | QueryTerm[], limit = 5): Bm25Hit[] {
    const qterms = mergeTerms(typeof query === 'string' ? this.queryTerms(query) : query);
    if (qterms.length === 0 || this.docs.length === 0) return [];
    let ideal = 0;
    for (const q of qterms) ideal += q.weight * this.idf(q.term);
    const hits: Bm25Hit[] = [];
    for (const doc of this.docs) {
      let score = 0;
      for (const q of qterms) {
        const tf = doc.tf.get(q.term);
        if (!tf) continue;
        if (doc.title.has(q.term)) score += TITLE_FIELD * q.weight * this.idf(q.term);
        const norm = tf + K1 * (1 - B + (B * doc.length) / this.avgLength);
        score += q.weight * this.idf(q.term) * ((tf * (K1 + 1)) / norm);
      }
      if (score > 0) hits.push({ id: doc.id, score: round(score), confidence: round(Math.min(1, ideal > 0 ? score / ideal : 0)) });
    }
    hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return hits.slice(0, limit);
  }
}

function mergeTerms(list: QueryTerm[]): QueryTerm[] {
  const map = new Map<string, number>();
  for (const q of list) map.set(q.term, (map.get(q.term) ?? 0) + q.weight);
  return [...map].map(([term, weight]) => ({ term, weight }));
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The paragraph(s) of an article body that best answer the query: paragraphs are scored by the
 * idf-weighted query terms they contain; the best one is returned, joined by the next best when it
 * scores at least 60% as well and the two stay short (<= 900 characters), in document order. A body
 * without blank-line paragraphs is split into sentence groups. Long answers are cut at a sentence.
 */
export function bestPassage(body: string, query: QueryTerm[], idf: (term: string) => number, maxChars = 900): string {
  let paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paragraphs.length <= 1 && body.length > maxChars) paragraphs = groupSentences(body, Math.floor(maxChars / 2));
  if (paragraphs.length === 0) return '';
  const weights = new Map(query.map((q) => [q.term, q.weight * Math.max(idf(q.term), 0.01)]));
  const scored = paragraphs.map((p, index) => {
    const present = new Set(analysedTerms(p));
    let score = 0;
    for (const [term, w] of weights) if (present.has(term)) score += w;
    return { p, index, score };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen = [ranked[0]];
  const second = ranked[1];
  if (second && second.score > 0 && second.score >= 0.6 * ranked[0].score && ranked[0].p.length + second.p.length <= maxChars) {
    chosen.push(second);
  }
  const text = chosen
    .sort((a, b) => a.index - b.index)
    .map((c) => c.p)
    .join('\n\n');
  return truncateAtSentence(text, maxChars);
}

function groupSentences(text: string, target: number): string[] {
  const groups: string[] = [];
  let current = '';
  for (const s of sentences(text)) {
    if (current && current.length + s.length > target) {
      groups.push(current);
      current = '';
    }
    current = current ? `${current} ${s}` : s;
  }
  if (current) groups.push(current);
  return groups;
}

export function truncateAtSentence(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > maxChars / 3 ? cut.slice(0, end + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
}
