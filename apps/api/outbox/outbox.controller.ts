import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { uuidParam } from '../common/params';
import { ListOutboxQueryDto, OutboxItemDto, OutboxPageDto } from './dto';
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
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<OutboxItemDto> {
    return this.outbox.get(actor, id);
  }
}
