import type { Pool, PoolClient } from 'pg';

/**
 * Markdown into the knowledge base: each `#` or `##` heading starts an article (title = the heading's
 * text, body = the section up to the next `#`/`##` heading; deeper headings stay in the body), upserted
 * by (collection, title). Text before the first heading becomes an article titled by the file name.
 * Headings inside fenced code blocks do not count; YAML front matter is dropped; sections with an
 * empty body (a document title right before its first `##`) are skipped. Two sections with one title
 * (in one file or across files) are joined, in order, into one article.
 *
 * The import is one transaction, serialised per collection with an advisory lock (so two imports of
 * one collection cannot both insert the same title); an article whose body (and tags/locale, when
 * given) is unchanged is not written, so the knowledge base's index is not rebuilt for nothing.
 * Articles missing from the files are left alone (the import never deletes).
 */
export interface MarkdownFile {
  /** File name, e.g. `envios.md`: the title of any text before the first heading. */
  name: string;
  content: string;
}

export interface KnowledgeImportOptions {
  /** Locale of every imported article ('es', 'en-US'); unset leaves existing articles' locale as it is (null for new ones). */
  locale?: string | null;
  /** Tags of every imported article; unset leaves existing articles' tags as they are (none for new ones). */
  tags?: string[];
}

export interface ImportedArticle {
  id: string;
  title: string;
  action: 'created' | 'updated' | 'unchanged';
}

export interface KnowledgeImportResult {
  collection: string;
  created: number;
  updated: number;
  unchanged: number;
  articles: ImportedArticle[];
}

export interface MarkdownSection {
  title: string;
  body: string;
}

const MAX_FILE_CHARS = 2_000_000;
const MAX_TITLE = 500;
const HEADING = /^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function cleanTitle(raw: string): string {
  return raw
    .trim()
    .replace(/^([*_`]+)(.*?)\1$/, '$2')
    .trim()
    .slice(0, MAX_TITLE);
}

/** The file name without folders and extension: `docs/envios.md` -> `envios`. */
function titleOfFile(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return cleanTitle(base.replace(/\.(md|markdown|mdx|txt)$/i, '')) || 'Untitled';
}

/** Splits one Markdown document into sections at its `#` and `##` headings. */
export function splitMarkdown(content: string, fileName = 'document.md'): MarkdownSection[] {
  let text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const frontMatter = /^---\n[\s\S]*?\n(---|\.\.\.)\n/.exec(text);
  if (frontMatter) text = text.slice(frontMatter[0].length);

  const sections: MarkdownSection[] = [];
  let title = titleOfFile(fileName);
  let lines: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const body = lines.join('\n').replace(/^\s*\n/, '').trimEnd();
    if (body.trim() && title) sections.push({ title, body });
    lines = [];
  };
  for (const line of text.split('\n')) {
    const f = FENCE.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0].repeat(f[1].length);
      else if (line.trim().startsWith(fence)) fence = null;
      lines.push(line);
      continue;
    }
    const h = fence === null ? HEADING.exec(line) : null;
    if (h) {
      // An empty heading ("#" alone) is dropped: it neither starts an article nor belongs to one.
      if (!h[2]?.trim()) continue;
      flush();
      title = cleanTitle(h[2]);
      continue;
    }
    lines.push(line);
  }
  flush();
  return sections;
}

export async function importMarkdown(
  pool: Pool,
  files: MarkdownFile[],
  collection: string,
  options: KnowledgeImportOptions = {},
): Promise<KnowledgeImportResult> {
  if (typeof collection !== 'string' || !collection.trim() || collection.length > 200) throw new Error('importMarkdown needs a collection name (1 to 200 characters)');
  if (!Array.isArray(files)) throw new Error('importMarkdown needs a list of { name, content } files');
  const merged = new Map<string, string>();
  for (const file of files) {
    if (typeof file?.content !== 'string') throw new Error(`importMarkdown: the file ${JSON.stringify(file?.name)} has no text content`);
    if (file.content.length > MAX_FILE_CHARS) throw new Error(`importMarkdown: the file ${JSON.stringify(file.name)} is larger than ${MAX_FILE_CHARS} characters`);
    for (const s of splitMarkdown(file.content, typeof file.name === 'string' ? file.name : 'document.md')) {
      const before = merged.get(s.title);
      merged.set(s.title, before === undefined ? s.body : `${before}\n\n${s.body}`);
    }
  }
  const tags = options.tags === undefined ? null : [...new Set(options.tags.map((t) => String(t).trim()).filter(Boolean))];
  const setLocale = options.locale !== undefined;
  const locale = options.locale?.trim() || null;

  const result: KnowledgeImportResult = { collection, created: 0, updated: 0, unchanged: 0, articles: [] };
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('cauce.knowledge-import:' || $1))`, [collection]);
    for (const [title, body] of merged) {
      const updated = await client.query<{ id: string }>(
        `UPDATE knowledge_articles
            SET body = $3, tags = coalesce($4::text[], tags), locale = CASE WHEN $5 THEN $6 ELSE locale END
          WHERE collection = $1 AND title = $2
            AND (body IS DISTINCT FROM $3
                 OR ($4::text[] IS NOT NULL AND tags IS DISTINCT FROM $4::text[])
                 OR ($5 AND locale IS DISTINCT FROM $6))
          RETURNING id::text AS id`,
        [collection, title, body, tags, setLocale, locale],
      );
      if (updated.rows.length > 0) {
        result.updated += 1;
        result.articles.push({ id: updated.rows[0].id, title, action: 'updated' });
        continue;
      }
      const existing = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM knowledge_articles WHERE collection = $1 AND title = $2 ORDER BY created_at, id LIMIT 1`,
        [collection, title],
      );
      if (existing.rows[0]) {
        result.unchanged += 1;
        result.articles.push({ id: existing.rows[0].id, title, action: 'unchanged' });
        continue;
      }
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO knowledge_articles (collection, title, body, tags, locale) VALUES ($1, $2, $3, coalesce($4::text[], '{}'), $5) RETURNING id::text AS id`,
        [collection, title, body, tags, locale],
      );
      result.created += 1;
      result.articles.push({ id: inserted.rows[0].id, title, action: 'created' });
    }
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
