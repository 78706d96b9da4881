import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { ApiCommonErrors } from '../common/errors.decorator';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto } from './dto';

@ApiTags('audit')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles() // admin only
  @ApiOperation({
    summary:
      'The audit log: flow edits, publishes, archives, run cancels, key changes, knowledge, secret and customer changes, alert rule changes and acknowledged alerts (admin)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
