import type { Pool } from 'pg';
import { KnowledgeArticleRepository } from '../../libs/knowledge/knowledge-article.repository';
import { ArticleIndex, KnowledgeBase } from './knowledge';

export interface PgKnowledgeBaseOptions {
  /** How often, at most, a search checks whether the table changed (default 5000 ms; 0: every search). */
  refreshIntervalMs?: number;
  /** Called when a refresh fails but an older index is still served. */
  onStaleError?: (err: unknown) => void;
}

/**
 * The built-in knowledge base over `knowledge_articles`, searched through an in-memory BM25 index.
 *
 * The hot path stays cheap: at most once per `refreshIntervalMs` a search runs
 * `SELECT count(*), max(updated_at)` (an index-only question for PostgreSQL); only when that
 * fingerprint changed are the articles reloaded and the index rebuilt (per collection, lazily).
 * Concurrent searches share one check. If a check fails while an index exists, the old index is
 * served (and `onStaleError` told); with no index yet the error propagates and the activity retries.
 * A trigger on the table keeps `updated_at` current on every UPDATE, so edits are seen too.
 *
 * Sized for a help centre (thousands of articles), not a document store: the whole table is read
 * into memory on change.
 */
export function createPgKnowledgeBase(pool: Pool, options: PgKnowledgeBaseOptions = {}): KnowledgeBase {
  const articles = new KnowledgeArticleRepository(pool);
  const interval = options.refreshIntervalMs ?? 5_000;
  let current: { fingerprint: string; index: ArticleIndex } | undefined;
  let checkedAt = -Infinity;
  let inflight: Promise<ArticleIndex> | undefined;

  async function refresh(): Promise<ArticleIndex> {
    const fingerprint = await articles.fingerprint();
    if (current?.fingerprint !== fingerprint) current = { fingerprint, index: new ArticleIndex(await articles.all()) };
    checkedAt = Date.now();
    return current.index;
  }

  async function index(): Promise<ArticleIndex> {
    if (current && Date.now() - checkedAt < interval) return current.index;
    inflight ??= refresh().finally(() => {
      inflight = undefined;
    });
    try {
      return await inflight;
    } catch (err) {
      if (!current) throw err;
      options.onStaleError?.(err);
      checkedAt = Date.now();
      return current.index;
    }
  }

  return {
    search: async (query, collection, searchOptions) => (await index()).search(query, collection, searchOptions),
    list: async (collection) => (await index()).list(collection),
  };
}
