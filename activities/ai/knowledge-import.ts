import type { Pool } from 'pg';
import { inTransaction } from '../../libs/db/transaction';
import { KnowledgeArticleRepository } from '../../libs/knowledge/knowledge-article.repository';

/**
 * Markdown into the knowledge base: each `#` or `##` heading starts an article (title = the heading's
 * text, body = the section up to the next `#`/`##` heading; deeper headings stay in the body), upserted
 * by (collection, title). Text before the first heading becomes an article titled by the file name.
 * Headings inside fenced code blocks do not count; YAML front matter is dropped; sections with an
 * empty body (a document title right before its first `##`) are skipped. Two sections with one title
 * (in one file or across files) are joined, in order, into one article.
 *
 * The import is one transaction, serialised per collection with an advisory lock (so two imports of
 * one collection cannot both insert the same title), written through libs/knowledge (the table's one
 * writer); an article whose body (and tags/locale, when
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
    const body = lines
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd();
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
  if (typeof collection !== 'string' || !collection.trim() || collection.length > 200)
    throw new Error('importMarkdown needs a collection name (1 to 200 characters)');
  if (!Array.isArray(files)) throw new Error('importMarkdown needs a list of { name, content } files');
  const merged = new Map<string, string>();
  for (const file of files) {
    if (typeof file?.content !== 'string') throw new Error(`importMarkdown: the file ${JSON.stringify(file?.name)} has no text content`);
    if (file.content.length > MAX_FILE_CHARS)
      throw new Error(`importMarkdown: the file ${JSON.stringify(file.name)} is larger than ${MAX_FILE_CHARS} characters`);
    for (const s of splitMarkdown(file.content, typeof file.name === 'string' ? file.name : 'document.md')) {
      const before = merged.get(s.title);
      merged.set(s.title, before === undefined ? s.body : `${before}\n\n${s.body}`);
    }
  }
  const tags = options.tags === undefined ? null : [...new Set(options.tags.map((t) => String(t).trim()).filter(Boolean))];
  const setLocale = options.locale !== undefined;
  const locale = options.locale?.trim() || null;

  const result: KnowledgeImportResult = { collection, created: 0, updated: 0, unchanged: 0, articles: [] };
  return inTransaction(pool, async (client) => {
    const articles = new KnowledgeArticleRepository(client);
    await articles.lockCollection(collection);
    for (const [title, body] of merged) {
      const updatedId = await articles.updateIfChanged(collection, title, { body, tags, setLocale, locale });
      if (updatedId !== undefined) {
        result.updated += 1;
        result.articles.push({ id: updatedId, title, action: 'updated' });
        continue;
      }
      const existingId = await articles.idByTitle(collection, title);
      if (existingId !== undefined) {
        result.unchanged += 1;
        result.articles.push({ id: existingId, title, action: 'unchanged' });
        continue;
      }
      const inserted = await articles.insert({ collection, title, body, tags, locale });
      result.created += 1;
      result.articles.push({ id: inserted.id, title, action: 'created' });
    }
    return result;
  });
}
