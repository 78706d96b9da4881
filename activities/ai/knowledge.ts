import { Bm25Index, bestPassage, QueryTerm } from './offline/bm25';
import { languageOfLocale } from './offline/text';

/** A knowledge-base article, as stored in `knowledge_articles`. */
export interface KnowledgeArticle {
  id: string;
  collection: string;
  title: string;
  body: string;
  tags: string[];
  locale: string | null;
}

export interface KnowledgeHit {
  article: KnowledgeArticle;
  /** The retriever's raw score (BM25 for the built-in ones); only comparable within one search. */
  score: number;
  /** 0..1: how much of the question the article covers (see offline/bm25.ts). */
  confidence: number;
  /** The most relevant paragraph(s) of the article for the question. */
  passage: string;
}

export interface KnowledgeSearchOptions {
  /** Earlier conversation that may help (weighs 0.3 against the question's 1). */
  context?: string;
  /** Prefer articles in this language ('es', 'en-US'...); articles without a locale always qualify. */
  locale?: string;
  /** Maximum hits (default 5). */
  limit?: number;
}

/**
 * Where `aiReply` finds answers. The built-in implementations keep an in-memory BM25 index; a later
 * one (a vector store, a help-desk's articles) only has to return hits with a 0..1 confidence.
 */
export interface KnowledgeBase {
  /** Best articles for a question, best first; `collection` unset searches every collection. */
  search(query: string, collection?: string, options?: KnowledgeSearchOptions): Promise<KnowledgeHit[]>;
  /** Every article (of a collection, if given). */
  list(collection?: string): Promise<KnowledgeArticle[]>;
}

export const DEFAULT_COLLECTION = 'default';
const ALL = '\u0000all';
const CONTEXT_WEIGHT = 0.3;

/** Immutable articles with BM25 indexes built lazily per collection (and one over all of them). */
export class ArticleIndex {
  private readonly byId = new Map<string, KnowledgeArticle>();
  private readonly indexes = new Map<string, Bm25Index>();

  constructor(readonly articles: readonly KnowledgeArticle[]) {
    for (const a of articles) this.byId.set(a.id, a);
  }

  list(collection?: string): KnowledgeArticle[] {
    return collection === undefined ? [...this.articles] : this.articles.filter((a) => a.collection === collection);
  }

  private index(collection?: string): Bm25Index {
    const key = collection ?? ALL;
    let index = this.indexes.get(key);
    if (!index) {
      index = new Bm25Index(this.list(collection));
      this.indexes.set(key, index);
    }
    return index;
  }

  search(query: string, collection?: string, options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
    const limit = options.limit ?? 5;
    const index = this.index(collection);
    if (index.size === 0) return [];
    const qterms: QueryTerm[] = index.queryTerms(query);
    if (options.context) qterms.push(...index.queryTerms(options.context, CONTEXT_WEIGHT));
    const lang = languageOfLocale(options.locale);
    // Search deeper than asked when filtering by language, then keep the matching ones if any.
    let hits = index.search(qterms, lang ? limit * 4 : limit);
    if (lang) {
      const inLanguage = hits.filter((h) => {
        const articleLang = this.byId.get(h.id)?.locale;
        return !articleLang || languageOfLocale(articleLang) === lang;
      });
      if (inLanguage.length > 0) hits = inLanguage;
    }
    return hits.slice(0, limit).map((h) => {
      const article = this.byId.get(h.id)!;
      return { article, score: h.score, confidence: h.confidence, passage: bestPassage(article.body, qterms, (t) => index.idf(t)) };
    });
  }
}

/** A knowledge base over a fixed list of articles: for tests and for flows that ship their own FAQ. */
export function createStaticKnowledgeBase(articles: (Partial<KnowledgeArticle> & { title: string; body: string })[]): KnowledgeBase {
  const index = new ArticleIndex(
    articles.map((a, i) => ({
      id: a.id ?? `article-${i + 1}`,
      collection: a.collection ?? DEFAULT_COLLECTION,
      title: a.title,
      body: a.body,
      tags: a.tags ?? [],
      locale: a.locale ?? null,
    })),
  );
  return {
    search: async (query, collection, options) => index.search(query, collection, options),
    list: async (collection) => index.list(collection),
  };
}
