import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCommonErrors } from '../common/errors.decorator';
import { Actor, CurrentActor } from './actor';
import { MeDto } from './dto';
import { Roles } from './roles';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('me')
export class MeController {
  /** Every role may ask who it is: the editor signs in with it instead of probing routes by trial. */
  @Get()
  @Roles('editor', 'operator', 'system')
  @ApiOperation({ summary: 'The key making the request (any role): its id, name, role, the flows it is limited to and its rate limit' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): MeDto {
    return { id: actor.id, name: actor.name, role: actor.role, flowIds: actor.flowIds, rateLimit: actor.rateLimit };
  }
}
