import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { ApiCommonErrors } from '../common/errors.decorator';
import { MetricsService, PROMETHEUS_CONTENT_TYPE } from './metrics.service';

@ApiTags('metrics')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('system')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics of this API instance (admin or system key; scrape with a bearer token)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  get(): Promise<string> {
    return this.metrics.render();
  }
}
