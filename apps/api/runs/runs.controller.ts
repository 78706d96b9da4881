import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { LocaleQueryDto } from '../activities/dto';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { EventLimits } from '../events/event-limits';
import { resolveLocale } from '../common/locale';
import { RunIdParam, UuidParam } from '../common/params';
import {
  CancelAcceptedDto,
  EventAcceptedDto,
  ListRunsQueryDto,
  MessageResultDto,
  PostMessageDto,
  PostRunEventDto,
  RunDto,
  RunEventPageDto,
  RunEventsQueryDto,
  RunPageDto,
  RunStartedDto,
  StartRunDto,
  TestRunDto,
} from './dto';
import { ChatTurnService } from './chat-turn.service';
import { RunCommandsService } from './run-commands.service';
import { RunReadsService } from './run-reads.service';
import { RunStartService } from './run-start.service';

const RUN_NOT_FOUND = { description: 'No such run, or it belongs to a flow outside the key’s scope', type: ApiErrorDto };

@ApiTags('runs')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('flows')
export class FlowRunsController {
  constructor(private readonly starts: RunStartService) {}

  @Post(':id/runs')
  @Roles('system')
  @ApiOperation({
    summary: 'Start a run of the latest (or a given) published version (system). Idempotent by key while the run is open.',
  })
  @ApiCreatedResponse({ type: RunStartedDto, description: 'A run was started; replies holds the bot’s opening messages' })
  @ApiOkResponse({ type: RunStartedDto, description: 'An open run with the same key exists: it is returned (created: false)' })
  @ApiNotFoundResponse({ description: 'No such flow or version', type: ApiErrorDto })
  @ApiConflictResponse({ description: 'The flow is archived or has no published version', type: ApiErrorDto })
  async start(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @Body() dto: StartRunDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RunStartedDto> {
    const started = await this.starts.startFromApi(actor, id, dto);
    res.status(started.created ? 201 : 200);
    return started;
  }

  @Post(':id/test-runs')
  @Roles('editor')
  @ApiOperation({ summary: 'Start a test run of the current draft for the editor’s simulator (editor); validated first, kept out of KPIs' })
  @ApiHeader({ name: 'accept-language', required: false, description: 'Language of validation problems when ?locale is not given' })
  @ApiCreatedResponse({ type: RunStartedDto })
  @ApiNotFoundResponse({ description: 'No such flow', type: ApiErrorDto })
  @ApiConflictResponse({ description: 'The flow is archived', type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ description: 'The draft is invalid: details.errors lists every problem', type: ApiErrorDto })
  testRun(
    @CurrentActor() actor: Actor,
    @UuidParam('id', 'Flow id') id: string,
    @Body() dto: TestRunDto,
    @Query() query: LocaleQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<RunStartedDto> {
    return this.starts.startTest(actor, id, dto, resolveLocale(query.locale ?? dto.locale, acceptLanguage));
  }
}

@ApiTags('runs')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('runs')
export class RunsController {
  constructor(
    private readonly reads: RunReadsService,
    private readonly chatTurns: ChatTurnService,
    private readonly commands: RunCommandsService,
  ) {}

  @Get()
  @Roles('editor', 'operator', 'system')
  @ApiOperation({ summary: 'List runs with filters, newest first, paged by cursor (Temporal visibility joined with the run index)' })
  @ApiOkResponse({ type: RunPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListRunsQueryDto): Promise<RunPageDto> {
    return this.reads.list(actor, query);
  }

  @Get(':runId')
  @Roles('editor', 'operator', 'system')
  @ApiOperation({ summary: 'One run: status, current node, variables, transcript and path taken' })
  @ApiOkResponse({ type: RunDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  get(@CurrentActor() actor: Actor, @RunIdParam() runId: string): Promise<RunDto> {
    return this.reads.get(actor, runId);
  }

  @Get(':runId/events')
  @Roles('editor', 'operator', 'system')
  @ApiOperation({
    // The operation id of its first name (RunsController.events), which generated clients know it by.
    operationId: 'RunsController_events',
    summary: 'The run’s RUN events: what happened in it (node entered/left, messages, escalation, goals), in order',
    description: 'Read-only. Not to be confused with the business events sent TO a run: POST /runs/{runId}/business-events.',
  })
  @ApiOkResponse({ type: RunEventPageDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  listRunEvents(@CurrentActor() actor: Actor, @RunIdParam() runId: string, @Query() query: RunEventsQueryDto): Promise<RunEventPageDto> {
    return this.reads.listRunEvents(actor, runId, query);
  }

  @Post(':runId/messages')
  @HttpCode(200)
  @Roles('system', 'operator', 'editor')
  @ApiOperation({
    summary:
      'The chat turn: a customer message (system key) or an agent message (operator key; from: agent); answers with the replies the flow produced before it waits again. Editors may drive their test runs.',
  })
  @ApiOkResponse({ type: MessageResultDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  @ApiConflictResponse({ description: 'The run has finished: details has its status and outcome', type: ApiErrorDto })
  @ApiGatewayTimeoutResponse({ description: 'The run did not answer in 30 s (no worker?); the message stays with the run', type: ApiErrorDto })
  message(@CurrentActor() actor: Actor, @RunIdParam() runId: string, @Body() dto: PostMessageDto): Promise<MessageResultDto> {
    return this.chatTurns.message(actor, runId, dto);
  }

  @Post(':runId/business-events')
  @HttpCode(202)
  @Roles('system', 'operator', 'editor')
  @EventLimits()
  @ApiOperation({
    summary: 'Send a business event to the run: agent.* events (operator key) or business events such as purchase.completed (system key)',
    description: 'A waitForEvent node in the run may take it. Not the run events a run records (GET /runs/{runId}/events).',
  })
  @ApiAcceptedResponse({ type: EventAcceptedDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  @ApiConflictResponse({ description: 'The run has finished', type: ApiErrorDto })
  sendBusinessEvent(@CurrentActor() actor: Actor, @RunIdParam() runId: string, @Body() dto: PostRunEventDto): Promise<EventAcceptedDto> {
    return this.commands.sendBusinessEvent(actor, runId, dto);
  }

  /** The first name of POST /runs/:runId/business-events, kept for the clients that use it. */
  @Post(':runId/events')
  @HttpCode(202)
  @Roles('system', 'operator', 'editor')
  @EventLimits()
  @ApiOperation({
    operationId: 'RunsController_event',
    summary: 'Send a business event to the run (deprecated: use POST /runs/{runId}/business-events)',
    description:
      'Same body, roles, limits and answers as POST /runs/{runId}/business-events, which says better what it does: GET on this path reads the run events the run recorded, POST sends a business event to it.',
    deprecated: true,
  })
  @ApiAcceptedResponse({ type: EventAcceptedDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  @ApiConflictResponse({ description: 'The run has finished', type: ApiErrorDto })
  sendBusinessEventDeprecated(@CurrentActor() actor: Actor, @RunIdParam() runId: string, @Body() dto: PostRunEventDto): Promise<EventAcceptedDto> {
    return this.commands.sendBusinessEvent(actor, runId, dto);
  }

  @Post(':runId/cancel')
  @HttpCode(202)
  @Roles('operator', 'editor')
  @ApiOperation({ summary: 'Cancel the run (operator; editors their test runs); it records the outcome "cancelled"' })
  @ApiAcceptedResponse({ type: CancelAcceptedDto })
  @ApiNotFoundResponse(RUN_NOT_FOUND)
  @ApiConflictResponse({ description: 'The run has finished', type: ApiErrorDto })
  cancel(@CurrentActor() actor: Actor, @RunIdParam() runId: string): Promise<CancelAcceptedDto> {
    return this.commands.cancel(actor, runId);
  }
}
