import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { UuidParam } from '../common/params';
import {
  CreateKnowledgeArticleDto,
  ImportKnowledgeDto,
  ImportMarkdownQueryDto,
  KnowledgeArticleDto,
  KnowledgeImportResultDto,
  KnowledgePageDto,
  ListKnowledgeQueryDto,
  UpdateKnowledgeArticleDto,
} from './dto';
import { KnowledgeService } from './knowledge.service';
import { ImportBodyPipe } from './markdown-body';

const NOT_FOUND = { description: 'No such article', type: ApiErrorDto };
const TITLE_TAKEN = { description: 'Another article of the collection has that title', type: ApiErrorDto };

@ApiTags('knowledge')
@ApiBearerAuth()
@ApiCommonErrors()
@ApiExtraModels(ImportKnowledgeDto)
@Controller('knowledge')
@Roles('editor')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @ApiOperation({ summary: 'List or search knowledge-base articles, newest first, by cursor (editor)' })
  @ApiOkResponse({ type: KnowledgePageDto })
  list(@Query() query: ListKnowledgeQueryDto): Promise<KnowledgePageDto> {
    return this.knowledge.list(query);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import Markdown files (editor): each # or ## heading is an article, upserted by title in the collection; never deletes',
    description:
      'JSON `{ collection, files: [{ name, content }], locale?, tags? }`, or one file as a `text/markdown` body with ' +
      '`?collection=&name=&locale=`. Articles whose text did not change are not written.',
  })
  @ApiConsumes('application/json', 'text/markdown')
  @ApiBody({
    schema: { oneOf: [{ $ref: getSchemaPath(ImportKnowledgeDto) }, { type: 'string', description: 'A Markdown document (text/markdown)' }] },
  })
  @ApiOkResponse({ type: KnowledgeImportResultDto })
  @ApiPayloadTooLargeResponse({ description: 'The body is over 1 MB', type: ApiErrorDto })
  import(
    @CurrentActor() actor: Actor,
    @Body(ImportBodyPipe) body: ImportKnowledgeDto | string,
    @Query() query: ImportMarkdownQueryDto,
  ): Promise<KnowledgeImportResultDto> {
    if (typeof body !== 'string') return this.knowledge.import(actor, body);
    if (!query.collection) throw new BadRequestException('collection is required (as ?collection=) with a text/markdown body');
    return this.knowledge.import(actor, {
      collection: query.collection,
      files: [{ name: query.name ?? 'document.md', content: body }],
      ...(query.locale ? { locale: query.locale } : {}),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One article with its whole body (editor)' })
  @ApiOkResponse({ type: KnowledgeArticleDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@UuidParam('id', 'Article id') id: string): Promise<KnowledgeArticleDto> {
    return this.knowledge.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an article (editor); the AI answers from it within seconds' })
  @ApiCreatedResponse({ type: KnowledgeArticleDto })
  @ApiConflictResponse(TITLE_TAKEN)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateKnowledgeArticleDto): Promise<KnowledgeArticleDto> {
    return this.knowledge.create(actor, dto);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace an article’s title and body (collection, tags, locale: unchanged when omitted) (editor)' })
  @ApiOkResponse({ type: KnowledgeArticleDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(TITLE_TAKEN)
  update(@CurrentActor() actor: Actor, @UuidParam('id', 'Article id') id: string, @Body() dto: UpdateKnowledgeArticleDto): Promise<KnowledgeArticleDto> {
    return this.knowledge.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an article (editor)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse(NOT_FOUND)
  remove(@CurrentActor() actor: Actor, @UuidParam('id', 'Article id') id: string): Promise<void> {
    return this.knowledge.remove(actor, id);
  }
}
