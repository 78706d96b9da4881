import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { customerIdParam, CustomersService } from './customers.service';
import { CustomerDto, PutCustomerDto, PutCustomerResultDto } from './dto';

const ID = { name: 'id', description: 'Customer id, as the systems starting runs send it (customerId)', example: 'cust-42' };

/**
 * Roles: reading a customer is for the systems that own customers, CX leads (editor) and agents
 * (operator), who all see customers in runs anyway; writing is for systems (syncing their CRM
 * data) and admins. Editors and operators change customers through flows (crm.update), not here.
 */
@ApiTags('customers')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get(':id')
  @Roles('system', 'editor', 'operator')
  @ApiOperation({ summary: 'A customer of the built-in CRM (system, editor, operator)' })
  @ApiParam(ID)
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ description: 'No such customer', type: ApiErrorDto })
  get(@Param('id', customerIdParam) id: string): Promise<CustomerDto> {
    return this.customers.get(id);
  }

  @Put(':id')
  @Roles('system')
  @ApiOperation({ summary: 'Create or replace a customer (system): omitted fields become empty (system)' })
  @ApiParam(ID)
  @ApiCreatedResponse({ type: PutCustomerResultDto, description: 'Created' })
  @ApiOkResponse({ type: PutCustomerResultDto, description: 'Replaced' })
  @ApiConflictResponse({ description: 'The email belongs to another customer', type: ApiErrorDto })
  async put(
    @CurrentActor() actor: Actor,
    @Param('id', customerIdParam) id: string,
    @Body() dto: PutCustomerDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PutCustomerResultDto> {
    const result = await this.customers.put(actor, id, dto);
    res.status(result.created ? 201 : 200);
    return result;
  }
}
