import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { SecretInfoDto, SecretListDto, SecretSetDto, SetSecretDto, SetSecretScopeDto } from './dto';
import { secretNameParam, SecretsService } from './secrets.service';

const NAME = {
  name: 'name',
  description: 'Secret name: 1 to 120 letters, digits, ".", "_" or "-"',
  example: 'HELPDESK_TOKEN',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,120}$' },
} as const;

@ApiTags('secrets')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('secrets')
@Roles() // admin only
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  @Get()
  @ApiOperation({ summary: 'Secret names, allowed hosts, flows, roles and timestamps, never values (admin)' })
  @ApiOkResponse({ type: SecretListDto })
  list(): Promise<SecretListDto> {
    return this.secrets.list();
  }

  @Put(':name')
  @ApiOperation({
    summary: 'Create or replace a secret (admin); encrypted with SECRETS_KEY; the value is never returned',
    description: 'A new secret needs allowedHosts: the hosts flows may send it to. A replace without allowedHosts, flowIds or roles keeps them.',
  })
  @ApiParam(NAME)
  @ApiCreatedResponse({ type: SecretSetDto, description: 'Created' })
  @ApiOkResponse({ type: SecretSetDto, description: 'Replaced' })
  @ApiServiceUnavailableResponse({ description: 'SECRETS_KEY is not configured on the API', type: ApiErrorDto })
  async set(
    @CurrentActor() actor: Actor,
    @Param('name', secretNameParam) name: string,
    @Body() dto: SetSecretDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SecretSetDto> {
    const result = await this.secrets.set(actor, name, dto.value, { allowedHosts: dto.allowedHosts, flowIds: dto.flowIds, roles: dto.roles });
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Patch(':name')
  @ApiOperation({
    summary: 'Change where a secret may go and who may use it, without its value (admin)',
    description: 'Fields left out keep their value. Secrets stored before allowed hosts existed have none, so no flow can send them until this sets some.',
  })
  @ApiParam(NAME)
  // Every field is optional ("left out keeps its value"), so no body at all changes nothing.
  @ApiBody({ type: SetSecretScopeDto, required: false })
  @ApiOkResponse({ type: SecretInfoDto })
  @ApiNotFoundResponse({ description: 'No such secret', type: ApiErrorDto })
  setScope(@CurrentActor() actor: Actor, @Param('name', secretNameParam) name: string, @Body() dto: SetSecretScopeDto): Promise<SecretInfoDto> {
    return this.secrets.setScope(actor, name, { allowedHosts: dto.allowedHosts, flowIds: dto.flowIds, roles: dto.roles });
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a secret (admin); flows referencing it fail their http calls until it is set again' })
  @ApiParam(NAME)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such secret', type: ApiErrorDto })
  remove(@CurrentActor() actor: Actor, @Param('name', secretNameParam) name: string): Promise<void> {
    return this.secrets.remove(actor, name);
  }
}
