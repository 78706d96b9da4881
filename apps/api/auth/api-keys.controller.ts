import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { UuidParam } from '../common/params';
import { Actor, CurrentActor } from './actor';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto';
import { Roles } from './roles';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('api-keys')
@Roles() // admin only
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (admin); the key is in the answer, once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (admin), without the keys themselves' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { items: await this.keys.list() };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (admin); it stops working at once on this instance, within 30 s on others (their key cache)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  revoke(@CurrentActor() actor: Actor, @UuidParam('id', 'Key id') id: string): Promise<ApiKeyDto> {
    return this.keys.revoke(actor, id);
  }
}
