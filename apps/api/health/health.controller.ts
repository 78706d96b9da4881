import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles';
import { HealthService, HealthReport } from './health.service';

/** Seconds a client or load balancer should wait before asking again while a dependency is down. */
export const HEALTH_RETRY_AFTER_S = 2;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness of the database, Temporal and the worker' })
  @ApiOkResponse({ description: 'The database and Temporal answer' })
  @ApiServiceUnavailableResponse({
    description: 'The database or Temporal does not answer (the body says which), or this instance is stopping; with a Retry-After header',
  })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    if (report.status !== 'ok') res.setHeader('Retry-After', String(HEALTH_RETRY_AFTER_S));
    return report;
  }
}
