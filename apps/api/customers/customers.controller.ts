import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
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

const ID = {
  name: 'id',
  description: 'Customer id, as the systems starting runs send it (customerId): 1 to 200 characters, not blank, no control characters',
  example: 'cust-42',
  // What customerIdParam accepts, so a client following the document never gets a 400 for the id.
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    pattern: '^[^\\u0000-\\u001f\\u007f]*[^\\s\\ufeff\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$',
  },
} as const;

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
  @ApiBody({ type: PutCustomerDto, required: false, description: 'Every field is optional; no body creates or empties the customer' })
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
