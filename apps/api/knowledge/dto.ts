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
  @ApiPropertyOptional({ description: 'Only articles of this collection', maxLength: MAX_COLLECTION, example: 'soporte' })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  collection?: string;

  @ApiPropertyOptional({ description: 'Only articles whose title, body or tags contain this text (case-insensitive)', maxLength: 200, example: 'reembolso' })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MinLength(1, { message: 'q must not be empty' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

}

export class CreateKnowledgeArticleDto {
  @ApiPropertyOptional({ description: 'Collection (an ai.reply node searches one collection, or all)', default: DEFAULT_COLLECTION, maxLength: MAX_COLLECTION })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  @ApiProperty({ description: 'Title, unique within the collection (the Markdown import updates articles by title)', maxLength: MAX_TITLE, example: 'Devoluciones y reembolsos' })
  @IsString({ message: 'title must be a string' })
  @Matches(/\S/, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE, { message: `title must be at most ${MAX_TITLE} characters` })
  @Matches(NO_CONTROL, { message: 'title must not contain control characters' })
  title!: string;

  @ApiProperty({ description: 'Body (Markdown or plain text); the AI answers with its passages', maxLength: MAX_BODY })
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

  @ApiPropertyOptional({ description: 'Language of the article (es, en, en-US); null: any. The offline AI prefers articles in the question’s language', type: String, nullable: true, example: 'es' })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string | null;
}

export class UpdateKnowledgeArticleDto {
  @ApiPropertyOptional({ description: 'Move the article to this collection; unchanged when omitted', maxLength: MAX_COLLECTION })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  @ApiProperty({ description: 'Title, unique within the collection', maxLength: MAX_TITLE })
  @IsString({ message: 'title must be a string' })
  @Matches(/\S/, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE, { message: `title must be at most ${MAX_TITLE} characters` })
  @Matches(NO_CONTROL, { message: 'title must not contain control characters' })
  title!: string;

  @ApiProperty({ description: 'The new body, replacing the old one', maxLength: MAX_BODY })
  @IsString({ message: 'body must be a string' })
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(MAX_BODY, { message: `body must be at most ${MAX_BODY} characters` })
  body!: string;

  @ApiPropertyOptional({ description: 'The new tags; unchanged when omitted', type: [String] })
  @IsOptional()
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'tags must be an array of strings' })
  @Matches(/\S/, { each: true, message: 'tags must not contain empty tags' })
  @MaxLength(MAX_TAG, { each: true, message: `each tag must be at most ${MAX_TAG} characters` })
  tags?: string[];

  @ApiPropertyOptional({ description: 'Language of the article; null clears it; unchanged when omitted', type: String, nullable: true })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string | null;
}

export class MarkdownFileDto {
  @ApiProperty({ description: 'File name; text before the first heading becomes an article titled by it (without extension)', maxLength: MAX_FILE_NAME, example: 'envios.md' })
  @IsString({ message: 'files.name must be a string' })
  @MinLength(1, { message: 'files.name must not be empty' })
  @MaxLength(MAX_FILE_NAME, { message: `files.name must be at most ${MAX_FILE_NAME} characters` })
  name!: string;

  @ApiProperty({ description: 'The Markdown text: each # or ## heading starts an article (title = heading, body = its section)', maxLength: MAX_FILE_CONTENT })
  @IsString({ message: 'files.content must be a string' })
  @MaxLength(MAX_FILE_CONTENT, { message: `files.content must be at most ${MAX_FILE_CONTENT} characters` })
  content!: string;
}

export class ImportKnowledgeDto {
  @ApiProperty({ description: 'Collection the articles go to; articles are matched by title within it', maxLength: MAX_COLLECTION, example: 'soporte' })
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

  @ApiPropertyOptional({ description: 'Locale of every imported article; omitted: existing articles keep theirs (new ones: none)', type: String, example: 'es' })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string;

  @ApiPropertyOptional({ description: 'Tags of every imported article; omitted: existing articles keep theirs (new ones: none)', type: [String] })
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
  @ApiPropertyOptional({ description: 'With a text/markdown body: the collection (required then)', maxLength: MAX_COLLECTION })
  @IsOptional()
  @IsString({ message: 'collection must be a string' })
  @MinLength(1, { message: 'collection must not be empty' })
  @MaxLength(MAX_COLLECTION, { message: `collection must be at most ${MAX_COLLECTION} characters` })
  @Matches(NO_CONTROL, { message: 'collection must not contain control characters' })
  collection?: string;

  @ApiPropertyOptional({ description: 'With a text/markdown body: the file name (default document.md)', maxLength: MAX_FILE_NAME })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(MAX_FILE_NAME, { message: `name must be at most ${MAX_FILE_NAME} characters` })
  name?: string;

  @ApiPropertyOptional({ description: 'With a text/markdown body: the locale of every imported article', type: String })
  @IsOptional()
  @IsString({ message: 'locale must be a string such as es or en-US' })
  @Matches(LOCALE, { message: 'locale must be a language tag such as es or en-US' })
  locale?: string;
}

// ---- responses --------------------------------------------------------------------------------
export class KnowledgeArticleSummaryDto {
  @ApiProperty({ description: 'Article id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Collection' })
  collection!: string;

  @ApiProperty({ description: 'Title' })
  title!: string;

  @ApiProperty({ description: 'The first 200 characters of the body' })
  excerpt!: string;

  @ApiProperty({ description: 'Tags', type: [String] })
  tags!: string[];

  @ApiProperty({ description: 'Language, or null for any', type: String, nullable: true })
  locale!: string | null;

  @ApiProperty({ description: 'Created at', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last change', format: 'date-time' })
  updatedAt!: string;
}

export class KnowledgeArticleDto extends KnowledgeArticleSummaryDto {
  @ApiProperty({ description: 'The whole body' })
  body!: string;
}

export class KnowledgePageDto {
  @ApiProperty({ description: 'Articles, newest first', type: [KnowledgeArticleSummaryDto] })
  items!: KnowledgeArticleSummaryDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last page', type: String, nullable: true })
  nextCursor!: string | null;
}

export class ImportedArticleDto {
  @ApiProperty({ description: 'Article id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Title (a # or ## heading, or the file name)' })
  title!: string;

  @ApiProperty({ description: 'What the import did to it', enum: ['created', 'updated', 'unchanged'] })
  action!: 'created' | 'updated' | 'unchanged';
}

export class KnowledgeImportResultDto {
  @ApiProperty({ description: 'Collection imported into' })
  collection!: string;

  @ApiProperty({ description: 'Articles created' })
  created!: number;

  @ApiProperty({ description: 'Articles whose body (or tags/locale, when given) changed' })
  updated!: number;

  @ApiProperty({ description: 'Articles already identical (not written)' })
  unchanged!: number;

  @ApiProperty({ description: 'Every article of the files, in order', type: [ImportedArticleDto] })
  articles!: ImportedArticleDto[];
}
