import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiCommonErrors } from '../common/errors.decorator';
import { EventResultDto, PostEventDto } from './dto';
import { EventLimits } from './event-limits';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  @Roles('system')
  @EventLimits()
  @ApiOperation({
    // The operation id of its first name (EventsController.ingest), which generated clients know it by.
    operationId: 'EventsController_ingest',
    summary:
      'A business event for a customer (system): starts the published flows whose start node listens for it (one open run per customer and flow unless allowConcurrent) and reaches the customer’s open runs',
  })
  @ApiOkResponse({ type: EventResultDto })
  ingestBusinessEvent(@CurrentActor() actor: Actor, @Body() dto: PostEventDto): Promise<EventResultDto> {
    return this.events.ingestBusinessEvent(actor, dto);
  }
}
