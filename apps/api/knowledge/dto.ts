import { CursorPageQuery } from '../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

/** Same limit as an `ai.reply` node's `collection`, so every collection can be searched by a flow. */
export const MAX_COLLECTION = 120;
export const MAX_TITLE = 500;
export const MAX_BODY = 200_000;
export const MAX_TAGS = 50;
export const MAX_TAG = 64;
/** One import request stays under the API's 1 MB body limit anyway; this bounds the file count. */
export const MAX_IMPORT_FILES = 200;
export const MAX_FILE_NAME = 255;
export const MAX_FILE_CONTENT = 1_000_000;
export const DEFAULT_COLLECTION = 'default';

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
/** A BCP 47-ish locale: `es`, `en`, `en-US`, `es-419`. */
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;

// ---- requests ---------------------------------------------------------------------------------
export class ListKnowledgeQueryDto extends CursorPageQuery(100) {
  /** Only articles of this collection */
  @ApiPropertyOptional({ example: 'soporte' })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  collection?: string;

  /** Only articles whose title, body or tags contain this text (case-insensitive) */
  @ApiPropertyOptional({ example: 'reembolso' })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MinLength(1, { message: 'q must not be empty' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;
}

export class CreateKnowledgeArticleDto {
  /** Collection (an ai.reply node searches one collection, or all) */
  @ApiPropertyOptional({ default: DEFAULT_COLLECTION })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  /** Title, unique within the collection (the Markdown import updates articles by title) */
  // Two @Matches: the plugin would document the first as `pattern`; the document keeps NO_CONTROL
  // there and adds `\S` under allOf (common/openapi.ts), as it always has.
  @ApiProperty({ example: 'Devoluciones y reembolsos', pattern: NO_CONTROL.source })
  @IsString({ message: 'title must be a string' })
  @Matches(/\S/, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE, { message: `title must be at most ${MAX_TITLE} characters` })
  @Matches(NO_CONTROL, { message: 'title must not contain control characters' })
  title!: string;

  /** Body (Markdown or plain text); the AI answers with its passages */
  @IsString({ message: 'body must be a string' })
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(MAX_BODY, { message: `body must be at most ${MAX_BODY} characters` })
  body!: string;

  @ApiPropertyOptional({ description: `Tags (up to ${MAX_TAGS}, each 1-${MAX_TAG} characters)`, type: [String], example: ['faq'] })
  @IsOptional()
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'tags must be an array of strings' })
  @Matches(/\S/, { each: true, message: 'tags must not contain empty tags' })
  @MaxLength(MAX_TAG, { each: true, message: `each tag must be at most ${MAX_TAG} characters` })
  tags?: string[];

  /** Language of the article (es, en, en-US); null: any. The offline AI prefers articles in the question’s language */
  @ApiPropertyOptional({ type: String, nullable: true, example: 'es' })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string | null;
}

export class UpdateKnowledgeArticleDto {
  /** Move the article to this collection; unchanged when omitted */
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  /** Title, unique within the collection */
  @ApiProperty({ pattern: NO_CONTROL.source })
  @IsString({ message: 'title must be a string' })
  @Matches(/\S/, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE, { message: `title must be at most ${MAX_TITLE} characters` })
  @Matches(NO_CONTROL, { message: 'title must not contain control characters' })
  title!: string;

  /** The new body, replacing the old one */
  @IsString({ message: 'body must be a string' })
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(MAX_BODY, { message: `body must be at most ${MAX_BODY} characters` })
  body!: string;

  /** The new tags; unchanged when omitted */
  @IsOptional()
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'tags must be an array of strings' })
  @Matches(/\S/, { each: true, message: 'tags must not contain empty tags' })
  @MaxLength(MAX_TAG, { each: true, message: `each tag must be at most ${MAX_TAG} characters` })
  tags?: string[];

  /** Language of the article; null clears it; unchanged when omitted */
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string | null;
}

export class MarkdownFileDto {
  /** File name; text before the first heading becomes an article titled by it (without extension) */
  @ApiProperty({ example: 'envios.md' })
  @IsString({ message: 'files.name must be a string' })
  @MinLength(1, { message: 'files.name must not be empty' })
  @MaxLength(MAX_FILE_NAME, { message: `files.name must be at most ${MAX_FILE_NAME} characters` })
  name!: string;

  /** The Markdown text: each # or ## heading starts an article (title = heading, body = its section) */
  @IsString({ message: 'files.content must be a string' })
  @MaxLength(MAX_FILE_CONTENT, { message: `files.content must be at most ${MAX_FILE_CONTENT} characters` })
  content!: string;
}

export class ImportKnowledgeDto {
  /** Collection the articles go to; articles are matched by title within it */
  @ApiProperty({ example: 'soporte' })
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection!: string;

  @ApiProperty({ description: `Markdown files (1-${MAX_IMPORT_FILES})`, type: [MarkdownFileDto] })
  @IsArray({ message: 'files must be an array of { name, content }' })
  @ArrayMinSize(1, { message: 'files must contain at least one file' })
  @ArrayMaxSize(MAX_IMPORT_FILES, { message: `files must contain at most ${MAX_IMPORT_FILES} files` })
  @ValidateNested({ each: true })
  @Type(() => MarkdownFileDto)
  files!: MarkdownFileDto[];

  /** Locale of every imported article; omitted: existing articles keep theirs (new ones: none) */
  @ApiPropertyOptional({ type: String, example: 'es' })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string;

  /** Tags of every imported article; omitted: existing articles keep theirs (new ones: none) */
  @IsOptional()
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'tags must be an array of strings' })
  @Matches(/\S/, { each: true, message: 'tags must not contain empty tags' })
  @MaxLength(MAX_TAG, { each: true, message: `each tag must be at most ${MAX_TAG} characters` })
  tags?: string[];
}

/** For a raw `text/markdown` body: what the JSON form carries besides the file. */
export class ImportMarkdownQueryDto {
  /** With a text/markdown body: the collection (required then) */
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  /** With a text/markdown body: the file name (default document.md) */
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(MAX_FILE_NAME, { message: `name must be at most ${MAX_FILE_NAME} characters` })
  name?: string;

  /** With a text/markdown body: the locale of every imported article */
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string;
}

// ---- responses --------------------------------------------------------------------------------
export class KnowledgeArticleSummaryDto {
  /** Article id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** Collection */
  collection!: string;

  /** Title */
  title!: string;

  /** The first 200 characters of the body */
  excerpt!: string;

  /** Tags */
  tags!: string[];

  /** Language, or null for any */
  locale!: string | null;

  /** Created at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last change */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class KnowledgeArticleDto extends KnowledgeArticleSummaryDto {
  /** The whole body */
  body!: string;
}

export class KnowledgePageDto {
  /** Articles, newest first */
  items!: KnowledgeArticleSummaryDto[];

  /** Cursor of the next page; null on the last page */
  nextCursor!: string | null;
}

export class ImportedArticleDto {
  /** Article id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** Title (a # or ## heading, or the file name) */
  title!: string;

  /** What the import did to it */
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] })
  action!: 'created' | 'updated' | 'unchanged';
}

export class KnowledgeImportResultDto {
  /** Collection imported into */
  collection!: string;

  /** Articles created */
  created!: number;

  /** Articles whose body (or tags/locale, when given) changed */
  updated!: number;

  /** Articles already identical (not written) */
  unchanged!: number;

  /** Every article of the files, in order */
  articles!: ImportedArticleDto[];
}
