import { IntField, NumberField } from '../../common/number-fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { INTERVALS } from '../../../../libs/kpis/sql';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The period every KPI route reads: [from, to), the runs started in it (default the last 30 days). */
export class PeriodQueryDto {
  @ApiPropertyOptional({
    description: 'Start of the period (ISO 8601, inclusive): the runs that started at or after it. Default: `to` minus 30 days',
    format: 'date-time',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period (ISO 8601, exclusive). Default: now', format: 'date-time', example: '2026-01-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @IntField({ name: 'version', description: 'Only runs of this published version', min: 1, optional: true, query: true })
  version?: number;
}

export class KpisQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ description: 'Only this flow; default every flow the key may see', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  @ApiPropertyOptional({ description: 'Also break the totals down per flow, or per flow and version (`groups`)', enum: ['flow', 'version'] })
  @IsOptional()
  @IsIn(['flow', 'version'], { message: 'groupBy must be flow or version' })
  groupBy?: 'flow' | 'version';

  @ApiPropertyOptional({ description: 'Also break them down per period bucket (UTC; weeks start on Monday), by the runs’ start', enum: INTERVALS })
  @IsOptional()
  @IsIn(INTERVALS, { message: `interval must be one of ${INTERVALS.join(', ')}` })
  interval?: (typeof INTERVALS)[number];

  @ApiPropertyOptional({ description: 'Add KPIs per node (`nodes`); needs flowId', default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'byNode must be true or false' })
  byNode?: boolean;

  @ApiPropertyOptional({ description: 'json (default) or csv (one row per group, then the totals; same as GET /api/kpis.csv)', enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';

  @NumberField({
    name: 'humanMinuteCost',
    description: 'USD per minute of a human agent; default KPI_HUMAN_MINUTE_COST (0.50)',
    min: 0,
    max: 1000000,
    optional: true,
    query: true,
  })
  humanMinuteCost?: number;

  @NumberField({
    name: 'baselineCostPerContact',
    description: 'USD a contact costs without automation (the ROI baseline); default KPI_BASELINE_COST_PER_CONTACT (5.00)',
    min: 0,
    max: 1000000,
    optional: true,
    query: true,
  })
  baselineCostPerContact?: number;

  @NumberField({
    name: 'fcrWindowHours',
    description: 'First-contact resolution window in hours; default KPI_FCR_WINDOW_HOURS (72)',
    min: 0.01,
    max: 8784,
    optional: true,
    query: true,
  })
  fcrWindowHours?: number;

  @NumberField({
    name: 'promptTokenCost',
    description: 'USD per 1,000 prompt tokens; default KPI_PROMPT_TOKEN_COST, else the cost the AI activities reported',
    min: 0,
    max: 1000000,
    optional: true,
    query: true,
  })
  promptTokenCost?: number;

  @NumberField({
    name: 'completionTokenCost',
    description: 'USD per 1,000 completion tokens; default KPI_COMPLETION_TOKEN_COST, else the cost the AI activities reported',
    min: 0,
    max: 1000000,
    optional: true,
    query: true,
  })
  completionTokenCost?: number;
}

export class ExperimentsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ description: 'Count only this goal as a conversion; default any goal', maxLength: 120 })
  @IsOptional()
  @IsString({ message: 'goal must be a string' })
  @MaxLength(120, { message: 'goal must be at most 120 characters' })
  goal?: string;

  @ApiPropertyOptional({ description: 'The variant the others are compared with; default the first variant of the abSplit node', maxLength: 120 })
  @IsOptional()
  @IsString({ message: 'control must be a string' })
  @Matches(/^[^\u0000-\u001f]{1,120}$/, { message: 'control must be 1-120 characters without control characters' })
  control?: string;

  @IntField({
    name: 'minSample',
    description: 'Exposures each variant needs before a winner may be declared; default KPI_EXPERIMENT_MIN_SAMPLE (100)',
    min: 1,
    max: 1000000000,
    optional: true,
    query: true,
  })
  minSample?: number;

  @NumberField({ name: 'alpha', description: 'Significance level; default KPI_EXPERIMENT_ALPHA (0.05)', min: 0.0001, max: 0.5, optional: true, query: true })
  alpha?: number;
}

export class TrafficQueryDto extends PeriodQueryDto {}
