import { ApiProperty } from '@nestjs/swagger';
import { INTERVALS } from '../../../../libs/kpis/sql';
import { KpiValuesDto } from './kpi-values.dto';
import { NodeKpisDto } from './node-kpis.dto';

/** The answer of `GET /api/kpis`: the selection, the rates used, the KPI values (kpi-values.dto.ts) per group and per node. */
export class KpiRatesDto {
  @ApiProperty({ description: 'USD per minute of a human agent' })
  humanMinuteCost!: number;

  @ApiProperty({ description: 'USD a contact costs without automation (the ROI baseline)' })
  baselineCostPerContact!: number;

  @ApiProperty({ description: 'First-contact resolution window (hours)' })
  fcrWindowHours!: number;

  @ApiProperty({ description: 'USD per 1,000 prompt tokens; null: the cost the AI activities reported (usage.costUsd)', type: Number, nullable: true })
  promptTokenCost!: number | null;

  @ApiProperty({ description: 'USD per 1,000 completion tokens; null: the cost the AI activities reported', type: Number, nullable: true })
  completionTokenCost!: number | null;
}

export class KpiGroupDto extends KpiValuesDto {
  @ApiProperty({ description: 'The flow (with groupBy flow or version)', type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  @ApiProperty({ description: 'The version (with groupBy version)', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'Start of the bucket, UTC (with interval)', type: String, nullable: true, format: 'date-time' })
  period!: string | null;
}

export class KpiReportDto {
  @ApiProperty({ description: 'Start of the period (inclusive)', format: 'date-time' })
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive)', format: 'date-time' })
  to!: string;

  @ApiProperty({ description: 'The flows measured; null: every flow', type: [String], nullable: true })
  flowIds!: string[] | null;

  @ApiProperty({ description: 'The version measured; null: every version', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'The breakdown of `groups`', enum: ['flow', 'version'], nullable: true })
  groupBy!: 'flow' | 'version' | null;

  @ApiProperty({ description: 'The period buckets of `groups`', enum: INTERVALS, nullable: true })
  interval!: (typeof INTERVALS)[number] | null;

  @ApiProperty({ description: 'The rates the costs and FCR were computed with', type: KpiRatesDto })
  rates!: KpiRatesDto;

  @ApiProperty({
    description:
      'Every KPI over the whole selection. The cohort is the runs started in the period: every KPI is about these runs and all their events, even those after `to`',
    type: KpiValuesDto,
  })
  totals!: KpiValuesDto;

  @ApiProperty({ description: 'Per flow / version / period bucket, as asked (empty without groupBy or interval)', type: [KpiGroupDto] })
  groups!: KpiGroupDto[];

  @ApiProperty({ description: 'Per node (with byNode=true and a flowId)', type: [NodeKpisDto], required: false })
  nodes?: NodeKpisDto[];

  @ApiProperty({
    description:
      'Runs of the flows in scope with events stored since the facts were last refreshed, so not in these figures yet; 0: up to date. ' +
      'The worker refreshes every CAUCE_KPI_REFRESH_INTERVAL (5 s by default); POST /kpis/refresh does it at once. A GET never refreshes.',
    required: false,
    example: 0,
  })
  pendingRuns?: number;
}
