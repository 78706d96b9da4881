import type { Pool } from 'pg';

/**
 * The one module that writes the `knowledge_articles` table (and the reads that go with it): the
 * API's article routes (apps/api/knowledge), the Markdown import (activities/ai/knowledge-import.ts,
 * which the API's import route runs) and the worker's knowledge base (activities/ai/pg-knowledge.ts,
 * reads only). Plain SQL over a `pg` Pool or a transaction's client, like libs/runs-index.
 *
 * Writers that may add a title take the collection's lock first (`lockCollection`, in their
 * transaction), so an API edit and an import never both add one title to a collection. A trigger
 * keeps `updated_at` current on every UPDATE, which is how the workers' index sees edits.
 */
export type KnowledgeDb = Pick<Pool, 'query'>;

/** An article row: `body` when asked for, `excerpt` in lists; `created_key` is `created_at` as PostgreSQL text (the page cursor). */
export interface ArticleRow {
  id: string;
  collection: string;
  title: string;
  body?: string;
  excerpt?: string;
  tags: string[];
  locale: string | null;
  created_at: Date;
  updated_at: Date;
  created_key: string;
}

/** An article as the knowledge base indexes it. */
export interface IndexedArticle {
  id: string;
  collection: string;
  title: string;
  body: string;
  tags: string[];
  locale: string | null;
}

export interface ArticleFields {
  collection: string;
  title: string;
  body: string;
  tags: string[];
  locale: string | null;
}

const COLUMNS = `id::text AS id, collection, title, tags, locale, created_at, updated_at, created_at::text AS created_key`;

export class KnowledgeArticleRepository {
  constructor(private readonly db: KnowledgeDb) {}

  /** Serialises the writers of one collection until the transaction ends (the Markdown import's lock). */
  async lockCollection(collection: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('cauce.knowledge-import:' || $1))`, [collection]);
  }

  /** A page of articles, newest first, after the cursor; `pattern` an ILIKE pattern over title, body and tags. */
  async list(filter: {
    collection: string | null;
    pattern: string | null;
    before: [createdAt: string, id: string] | null;
    excerpt: number;
    limit: number;
  }): Promise<ArticleRow[]> {
    const { rows } = await this.db.query<ArticleRow>(
      `SELECT ${COLUMNS}, left(body, ${Math.floor(filter.excerpt)}) AS excerpt
         FROM knowledge_articles
        WHERE ($1::text IS NULL OR collection = $1)
          AND ($2::text IS NULL OR title ILIKE $2 OR body ILIKE $2 OR EXISTS (SELECT 1 FROM unnest(tags) AS t WHERE t ILIKE $2))
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [filter.collection, filter.pattern, filter.before?.[0] ?? null, filter.before?.[1] ?? null, filter.limit],
    );
    return rows;
  }

  async get(id: string): Promise<ArticleRow | undefined> {
    const { rows } = await this.db.query<ArticleRow>(`SELECT ${COLUMNS}, body FROM knowledge_articles WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The article, its row locked until the transaction ends. */
  async getForUpdate(id: string): Promise<ArticleRow | undefined> {
    const { rows } = await this.db.query<ArticleRow>(`SELECT ${COLUMNS}, body FROM knowledge_articles WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async collectionOf(id: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ collection: string }>(`SELECT collection FROM knowledge_articles WHERE id = $1`, [id]);
    return rows[0]?.collection;
  }

  /** The id of the (oldest) article with this title in the collection, other than `exceptId`. */
  async idByTitle(collection: string, title: string, exceptId: string | null = null): Promise<string | undefined> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id::text AS id FROM knowledge_articles WHERE collection = $1 AND title = $2 AND ($3::uuid IS NULL OR id <> $3::uuid)
        ORDER BY created_at, id LIMIT 1`,
      [collection, title, exceptId],
    );
    return rows[0]?.id;
  }

  /** Inserts an article; tags null means none. */
  async insert(a: Omit<ArticleFields, 'tags'> & { tags: string[] | null }): Promise<ArticleRow> {
    const { rows } = await this.db.query<ArticleRow>(
      `INSERT INTO knowledge_articles (collection, title, body, tags, locale) VALUES ($1, $2, $3, coalesce($4::text[], '{}'), $5) RETURNING ${COLUMNS}, body`,
      [a.collection, a.title, a.body, a.tags, a.locale],
    );
    return rows[0];
  }

  /** Replaces an article's fields (the API's edit). */
  async update(id: string, a: ArticleFields): Promise<ArticleRow> {
    const { rows } = await this.db.query<ArticleRow>(
      `UPDATE knowledge_articles SET collection = $2, title = $3, body = $4, tags = $5, locale = $6 WHERE id = $1 RETURNING ${COLUMNS}, body`,
      [id, a.collection, a.title, a.body, a.tags, a.locale],
    );
    return rows[0];
  }

  /**
   * The import's update of the article titled `title`: its body, and its tags and locale when given
   * (`tags` null and `setLocale` false keep them). Written only when something differs, so an
   * unchanged import does not make the workers rebuild their index. The id written, or undefined.
   */
  async updateIfChanged(
    collection: string,
    title: string,
    change: { body: string; tags: string[] | null; setLocale: boolean; locale: string | null },
  ): Promise<string | undefined> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE knowledge_articles
          SET body = $3, tags = coalesce($4::text[], tags), locale = CASE WHEN $5 THEN $6 ELSE locale END
        WHERE collection = $1 AND title = $2
          AND (body IS DISTINCT FROM $3
               OR ($4::text[] IS NOT NULL AND tags IS DISTINCT FROM $4::text[])
               OR ($5 AND locale IS DISTINCT FROM $6))
        RETURNING id::text AS id`,
      [collection, title, change.body, change.tags, change.setLocale, change.locale],
    );
    return rows[0]?.id;
  }

  /** Deletes an article; what it was (for the audit log), or undefined when there was none. */
  async delete(id: string): Promise<{ collection: string; title: string } | undefined> {
    const { rows } = await this.db.query<{ collection: string; title: string }>(`DELETE FROM knowledge_articles WHERE id = $1 RETURNING collection, title`, [
      id,
    ]);
    return rows[0];
  }

  /**
   * How many articles there are and the latest change, as text (PostgreSQL's microseconds, which a
   * JS Date would round): the knowledge base rebuilds its index only when this changes.
   */
  async fingerprint(): Promise<string> {
    const { rows } = await this.db.query<{ n: number; last: string | null }>(
      `SELECT count(*)::int AS n, max(updated_at)::text AS last FROM knowledge_articles`,
    );
    return `${rows[0].n}:${rows[0].last ?? '-'}`;
  }

  /** Every article, oldest first, as the knowledge base indexes it. */
  async all(): Promise<IndexedArticle[]> {
    const { rows } = await this.db.query<IndexedArticle>(
      `SELECT id::text AS id, collection, coalesce(title, '') AS title, coalesce(body, '') AS body,
              coalesce(tags, '{}') AS tags, locale
         FROM knowledge_articles ORDER BY created_at, id`,
    );
    return rows;
  }
}
