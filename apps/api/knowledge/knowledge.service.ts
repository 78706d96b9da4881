import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ArticleRow, KnowledgeArticleRepository } from '../../../libs/knowledge/knowledge-article.repository';
import { inTransaction } from '../../../libs/db/transaction';
import { importMarkdown, MarkdownFile } from '../../../activities/ai/knowledge-import';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { decodeCursor, encodeCursor } from '../common/cursor';
import {
  CreateKnowledgeArticleDto,
  DEFAULT_COLLECTION,
  ImportKnowledgeDto,
  KnowledgeArticleDto,
  KnowledgeArticleSummaryDto,
  KnowledgeImportResultDto,
  KnowledgePageDto,
  ListKnowledgeQueryDto,
  UpdateKnowledgeArticleDto,
} from './dto';
import { recordChange } from '../audit/record-change';
import { PG_POOL } from '../database/pg-pool';

const EXCERPT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?$/;

/** `[created_at as PostgreSQL text, id]`: exact to the microsecond, unlike a JS Date. */
type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PG_TIMESTAMP.test(v[0]) && typeof v[1] === 'string' && UUID.test(v[1]);

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const cleanTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

/**
 * The knowledge base's articles (`knowledge_articles`, written through libs/knowledge, its one
 * writer), which `ai.reply` answers from. The worker's
 * BM25 index needs no signal: it checks `count(*)` and `max(updated_at)` (kept current by a trigger)
 * at most every few seconds and rebuilds when they change, so every write here reaches it.
 */
@Injectable()
export class KnowledgeService {
  private readonly pool: Pool;
  private readonly articles: KnowledgeArticleRepository;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly audit: AuditService,
  ) {
    this.pool = pool;
    this.articles = new KnowledgeArticleRepository(this.pool);
  }

  async list(query: ListKnowledgeQueryDto): Promise<KnowledgePageDto> {
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, isCursor) : null;
    const rows = await this.articles.list({
      collection: query.collection ?? null,
      pattern: query.q ? likePattern(query.q) : null,
      before: cursor,
      excerpt: EXCERPT,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSummary), nextCursor: rows.length > limit ? encodeCursor([last.created_key, last.id]) : null };
  }

  async get(id: string): Promise<KnowledgeArticleDto> {
    const row = await this.articles.get(id);
    if (!row) throw notFound(id);
    return toDto(row);
  }

  async create(actor: Actor, dto: CreateKnowledgeArticleDto): Promise<KnowledgeArticleDto> {
    const collection = dto.collection ?? DEFAULT_COLLECTION;
    const title = dto.title.trim();
    const row = await this.transaction(async (client) => {
      const articles = new KnowledgeArticleRepository(client);
      await articles.lockCollection(collection);
      await assertTitleFree(articles, collection, title, null);
      return articles.insert({ collection, title, body: dto.body, tags: cleanTags(dto.tags ?? []), locale: dto.locale ?? null });
    });
    await recordChange(this.audit, actor, 'knowledge.created', { type: 'knowledge_article', id: row.id }, { collection, title });
    return toDto(row);
  }

  async update(actor: Actor, id: string, dto: UpdateKnowledgeArticleDto): Promise<KnowledgeArticleDto> {
    const before = await this.articles.collectionOf(id);
    if (before === undefined) throw notFound(id);
    const collection = dto.collection ?? before;
    const title = dto.title.trim();
    const result = await this.transaction(async (client) => {
      const articles = new KnowledgeArticleRepository(client);
      await articles.lockCollection(collection);
      const current = await articles.getForUpdate(id);
      if (!current) throw notFound(id);
      const next = {
        collection,
        title,
        body: dto.body,
        tags: dto.tags !== undefined ? cleanTags(dto.tags) : current.tags,
        locale: dto.locale !== undefined ? dto.locale : current.locale,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
      // An identical save is not written: every write makes the workers rebuild their index.
      if (changed.length === 0) return { row: current, changed };
      if (changed.includes('collection') || changed.includes('title')) await assertTitleFree(articles, collection, title, id);
      return { row: await articles.update(id, next), changed };
    });
    if (result.changed.length > 0) {
      await recordChange(this.audit, actor, 'knowledge.updated', { type: 'knowledge_article', id }, { collection, title, changed: result.changed });
    }
    return toDto(result.row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const deleted = await this.articles.delete(id);
    if (!deleted) throw notFound(id);
    await recordChange(this.audit, actor, 'knowledge.deleted', { type: 'knowledge_article', id }, { collection: deleted.collection, title: deleted.title });
  }

  async import(actor: Actor, dto: ImportKnowledgeDto): Promise<KnowledgeImportResultDto> {
    const files: MarkdownFile[] = dto.files.map((f) => ({ name: f.name, content: f.content }));
    let result: KnowledgeImportResultDto;
    try {
      result = await importMarkdown(this.pool, files, dto.collection, {
        ...(dto.locale !== undefined ? { locale: dto.locale } : {}),
        ...(dto.tags !== undefined ? { tags: cleanTags(dto.tags) } : {}),
      });
    } catch (err) {
      // importMarkdown's own refusals (a file too large, no text) are the caller's; database errors are not.
      if (err instanceof Error && err.message.startsWith('importMarkdown'))
        throw new BadRequestException(err.message.replace(/^importMarkdown:?\s*/, 'files: '));
      throw err;
    }
    if (result.created + result.updated > 0) {
      await recordChange(
        this.audit,
        actor,
        'knowledge.imported',
        { type: 'knowledge_collection', id: dto.collection },
        {
          files: files.map((f) => f.name).slice(0, 50),
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          // Ids and titles of what changed (capped: the audit log is not a copy of the knowledge base).
          articles: result.articles.filter((a) => a.action !== 'unchanged').slice(0, 100),
        },
      );
    }
    return result;
  }

  private transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}

async function assertTitleFree(articles: KnowledgeArticleRepository, collection: string, title: string, exceptId: string | null): Promise<void> {
  const existingId = await articles.idByTitle(collection, title, exceptId);
  if (existingId !== undefined) {
    throw new ConflictException({
      message: `title: an article titled ${JSON.stringify(title)} already exists in the collection ${JSON.stringify(collection)}`,
      details: { field: 'title', existingId },
    });
  }
}

const notFound = (id: string) => new NotFoundException(`Knowledge article ${id} not found`);

function toSummary(row: ArticleRow): KnowledgeArticleSummaryDto {
  return {
    id: row.id,
    collection: row.collection,
    title: row.title,
    excerpt: row.excerpt ?? (row.body ?? '').slice(0, EXCERPT),
    tags: row.tags ?? [],
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toDto(row: ArticleRow): KnowledgeArticleDto {
  return { ...toSummary(row), body: row.body ?? '' };
}
