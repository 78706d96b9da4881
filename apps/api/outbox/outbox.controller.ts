import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiGatewayTimeoutResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { UuidParam } from '../common/params';
import { ListOutboxQueryDto, OutboxItemDto, OutboxPageDto, OutboxResendDto } from './dto';
import { OutboxService } from './outbox.service';

@ApiTags('outbox')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('outbox')
@Roles('editor', 'operator')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({ summary: 'Every notification with its status and reason, newest first, by cursor (editor, operator)' })
  @ApiOkResponse({ type: OutboxPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListOutboxQueryDto): Promise<OutboxPageDto> {
    return this.outbox.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification (editor, operator)' })
  @ApiOkResponse({ type: OutboxItemDto })
  @ApiNotFoundResponse({ description: 'No such notification (or the key is limited to other flows)', type: ApiErrorDto })
  get(@CurrentActor() actor: Actor, @UuidParam('id', 'Outbox item id') id: string): Promise<OutboxItemDto> {
    return this.outbox.get(actor, id);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a pending or failed notification again, now (editor, operator)',
    description:
      'The worker sends it with the provider configured for its channel and the answer says what happened. ' +
      'Pending notifications are also picked up every minute by the outbox schedule once their channel has a provider.',
  })
  @ApiOkResponse({ type: OutboxResendDto })
  @ApiNotFoundResponse({ description: 'No such notification (or the key is limited to other flows)', type: ApiErrorDto })
  @ApiConflictResponse({ description: 'Already sent: a notification is never sent twice', type: ApiErrorDto })
  @ApiGatewayTimeoutResponse({ description: 'No worker answered in time', type: ApiErrorDto })
  resend(@CurrentActor() actor: Actor, @UuidParam('id', 'Outbox item id') id: string): Promise<OutboxResendDto> {
    return this.outbox.resend(actor, id);
  }
}
