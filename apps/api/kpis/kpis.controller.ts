import { Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { UuidParam } from '../common/params';
import { ExperimentReportDto } from './dto/experiments.dto';
import { KpiRefreshDto } from './dto/kpi-refresh.dto';
import { KpiReportDto } from './dto/kpi-report.dto';
import { ExperimentsQueryDto, KpisQueryDto, TrafficQueryDto } from './dto/kpis-query.dto';
import { TrafficReportDto } from './dto/traffic.dto';
import { KpisService } from './kpis.service';

const FLOW_NOT_FOUND = { description: 'No such flow (or the key is limited to other flows)', type: ApiErrorDto };
const CSV_DESCRIPTION = 'CSV (text/csv): one row per group, then the totals (scope=total); a column per KPI and per goal';

@ApiTags('kpis')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller()
@Roles('editor')
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  @Get('kpis')
  @ApiOperation({
    summary:
      'KPIs of the runs started in a period (editor): runs, response time p50/p95, escalation, AI resolution, first-contact resolution, CSAT, abandonment, time to resolution, conversion per goal, cost per interaction, ROI; per flow, version, period and node on request. ?format=csv for CSV.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: KpiReportDto, description: `The report (JSON), or with format=csv: ${CSV_DESCRIPTION}` })
  @ApiNotFoundResponse(FLOW_NOT_FOUND)
  async get(@CurrentActor() actor: Actor, @Query() query: KpisQueryDto, @Res({ passthrough: true }) res: Response): Promise<KpiReportDto | string> {
    if (query.format === 'csv') return this.sendCsv(actor, query, res);
    return this.kpis.kpis(actor, query);
  }

  // A command, not a read: the KPI GETs never write, so a client that needs the newest figures asks
  // for them here and then reads. Same role as the reads (editor): it changes no figure, only how fresh it is.
  @Post('kpis/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Brings the KPI figures up to date (editor): recomputes the facts of the runs with events stored since the last refresh, as the worker does every CAUCE_KPI_REFRESH_INTERVAL; then GET /kpis (and traffic) include every event stored before the call',
  })
  @ApiOkResponse({ type: KpiRefreshDto })
  refresh(@CurrentActor() actor: Actor): Promise<KpiRefreshDto> {
    return this.kpis.refresh(actor);
  }

  @Get('kpis.csv')
  @ApiOperation({ summary: 'The same KPIs as CSV (editor); takes the same parameters as GET /kpis' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: CSV_DESCRIPTION, schema: { type: 'string' } })
  @ApiNotFoundResponse(FLOW_NOT_FOUND)
  @Header('Cache-Control', 'no-store')
  csv(@CurrentActor() actor: Actor, @Query() query: KpisQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.sendCsv(actor, query, res);
  }

  private async sendCsv(actor: Actor, query: KpisQueryDto, res: Response): Promise<string> {
    const body = await this.kpis.csv(actor, query);
    const { from, to } = this.kpis.period(query);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="cauce-kpis-${day(from)}-${day(to)}.csv"`);
    return body;
  }

  @Get('flows/:id/experiments')
  @ApiOperation({
    summary:
      'Experiment results of a flow (editor): exposures and conversions per abSplit variant, lift, two-proportion z-test p-value (raw and, with more than two variants, Holm–Bonferroni adjusted), confidence interval (95%, Bonferroni-widened with more than two variants), P(best), and the winner once every variant has the minimum sample',
  })
  @ApiOkResponse({ type: ExperimentReportDto })
  @ApiNotFoundResponse(FLOW_NOT_FOUND)
  experiments(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string, @Query() query: ExperimentsQueryDto): Promise<ExperimentReportDto> {
    return this.kpis.experiments(actor, id, query);
  }

  @Get('flows/:id/traffic')
  @ApiOperation({ summary: 'Traffic on the flow’s graph (editor): runs per node and per branch, and where runs stopped (drop-off), for the editor’s overlay' })
  @ApiOkResponse({ type: TrafficReportDto })
  @ApiNotFoundResponse(FLOW_NOT_FOUND)
  traffic(@CurrentActor() actor: Actor, @UuidParam('id', 'Flow id') id: string, @Query() query: TrafficQueryDto): Promise<TrafficReportDto> {
    return this.kpis.traffic(actor, id, query);
  }
}
