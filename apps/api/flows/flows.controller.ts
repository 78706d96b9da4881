import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LocaleQueryDto } from '../activities/dto';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { resolveLocale } from '../common/locale';
import { UuidParam, VersionParam, VERSION_SCHEMA, parseVersion } from '../common/params';
import {
  CreateFlowDto,
  DuplicateFlowDto,
  FlowDiffDto,
  FlowDto,
  FlowPageDto,
  FlowVersionDto,
  FlowVersionListDto,
  ListFlowsQueryDto,
  PublishResultDto,
  UpdateFlowDto,
  ValidateFlowDto,
  ValidationResultDto,
} from './dto';
import { FlowsService } from './flows.service';

/** A diff side: a version number or `draft`. */
function diffSide(name: string) {
  return {
    transform(value: string): number | 'draft' {
      if (value === 'draft') return 'draft';
      const version = parseVersion(value);
      if (version !== null) return version;
      throw new BadRequestException(`${name} must be a version number or "draft"`);
    },
  };
}
const DIFF_SIDE = { oneOf: [VERSION_SCHEMA, { type: 'string', enum: ['draft'] }] };

const LOCALE_HEADER = { name: 'accept-language', required: false, description: 'Language of the problems when ?locale is not given (es default, en)' };
const NOT_FOUND = { description: 'No such flow (or the key is limited to other flows)', type: ApiErrorDto };

@ApiTags('flows')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('flows')
@Roles('editor')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a flow with a draft (editor)' })
  @ApiCreatedResponse({ type: FlowDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFlowDto): Promise<FlowDto> {
    return this.flows.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List flows, newest first, by cursor (editor)' })
  @ApiOkResponse({ type: FlowPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListFlowsQueryDto): Promise<FlowPageDto> {
    return this.flows.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow with its draft (editor)' })
  @ApiOkResponse({ type: FlowDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string): Promise<FlowDto> {
    return this.flows.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace the draft (editor); published versions never change' })
  @ApiOkResponse({ type: FlowDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'The flow is archived', type: ApiErrorDto })
  update(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string, @Body() dto: UpdateFlowDto): Promise<FlowDto> {
    return this.flows.update(actor, id, dto);
  }

  @Post(':id/validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate the draft (or the definition sent) with the flow language’s validator (editor)' })
  @ApiHeader(LOCALE_HEADER)
  @ApiBody({ type: ValidateFlowDto, required: false })
  @ApiOkResponse({ type: ValidationResultDto, description: 'valid, and every error and warning with node, edge and field' })
  @ApiNotFoundResponse(NOT_FOUND)
  validate(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @Body() dto: ValidateFlowDto,
    @Query() query: LocaleQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ValidationResultDto> {
    return this.flows.validate(actor, id, resolveLocale(query.locale, acceptLanguage), dto?.definition);
  }

  @Post(':id/publish')
  @ApiOperation({ summary: 'Publish the draft as a new immutable version (editor); runs started afterwards use it' })
  @ApiHeader(LOCALE_HEADER)
  @ApiCreatedResponse({ type: PublishResultDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'The flow is archived', type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ description: 'The draft is invalid: details.errors lists every problem', type: ApiErrorDto })
  publish(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @Query() query: LocaleQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<PublishResultDto> {
    return this.flows.publish(actor, id, resolveLocale(query.locale, acceptLanguage));
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Version history, newest first (editor)' })
  @ApiOkResponse({ type: FlowVersionListDto })
  @ApiNotFoundResponse(NOT_FOUND)
  versions(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string): Promise<FlowVersionListDto> {
    return this.flows.listVersions(actor, id);
  }

  @Get(':id/versions/:version')
  // Operators follow runs on the graph of the version they run; they still can't see drafts or edit.
  @Roles('editor', 'operator')
  @ApiOperation({ summary: 'A published version (editor, operator: to follow a run on its graph)' })
  @ApiOkResponse({ type: FlowVersionDto })
  @ApiNotFoundResponse(NOT_FOUND)
  version(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @VersionParam('version', 'A published version number') version: number,
  ): Promise<FlowVersionDto> {
    return this.flows.getVersion(actor, id, version);
  }

  @Get(':id/versions/:a/diff/:b')
  @ApiOperation({ summary: 'What changed from version a to version b (either may be "draft"): nodes, edges and variables by id (editor)' })
  @ApiParam({ name: 'a', description: 'The older side: a version number or "draft"', schema: DIFF_SIDE })
  @ApiParam({ name: 'b', description: 'The newer side: a version number or "draft"', schema: DIFF_SIDE })
  @ApiOkResponse({ type: FlowDiffDto })
  @ApiNotFoundResponse(NOT_FOUND)
  diff(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @Param('a', diffSide('a')) a: number | 'draft',
    @Param('b', diffSide('b')) b: number | 'draft',
  ): Promise<FlowDiffDto> {
    return this.flows.diff(actor, id, a, b);
  }

  @Post(':id/duplicate')
  @ApiOperation({ summary: 'Copy the flow’s draft into a new draft flow (editor)' })
  @ApiBody({ type: DuplicateFlowDto, required: false })
  @ApiCreatedResponse({ type: FlowDto })
  @ApiNotFoundResponse(NOT_FOUND)
  duplicate(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string, @Body() dto: DuplicateFlowDto): Promise<FlowDto> {
    return this.flows.duplicate(actor, id, dto ?? {});
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive the flow (editor): no new runs, its schedule is deleted; runs in flight go on' })
  @ApiOkResponse({ type: FlowDto })
  @ApiNotFoundResponse(NOT_FOUND)
  archive(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string): Promise<FlowDto> {
    return this.flows.archive(actor, id);
  }
}
