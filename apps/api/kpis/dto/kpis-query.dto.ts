import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { INTERVALS } from '../../../../libs/kpis/sql';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The period every KPI route reads: [from, to), the runs started in it (default the last 30 days). */
export class PeriodQueryDto {
  @ApiPropertyOptional({ description: 'Start of the period (ISO 8601, inclusive): the runs that started at or after it. Default: `to` minus 30 days', format: 'date-time', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period (ISO 8601, exclusive). Default: now', format: 'date-time', example: '2026-01-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ description: 'Only runs of this published version', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version must be an integer' })
  @Min(1, { message: 'version must be at least 1' })
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

  @ApiPropertyOptional({ description: 'USD per minute of a human agent; default KPI_HUMAN_MINUTE_COST (0.50)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'humanMinuteCost must be a number' })
  @Min(0, { message: 'humanMinuteCost must be at least 0' })
  humanMinuteCost?: number;

  @ApiPropertyOptional({ description: 'USD a contact costs without automation (the ROI baseline); default KPI_BASELINE_COST_PER_CONTACT (5.00)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'baselineCostPerContact must be a number' })
  @Min(0, { message: 'baselineCostPerContact must be at least 0' })
  baselineCostPerContact?: number;

  @ApiPropertyOptional({ description: 'First-contact resolution window in hours; default KPI_FCR_WINDOW_HOURS (72)', minimum: 0.01, maximum: 8784 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'fcrWindowHours must be a number' })
  @Min(0.01, { message: 'fcrWindowHours must be above 0' })
  @Max(8784, { message: 'fcrWindowHours must be at most 8784 (a year)' })
  fcrWindowHours?: number;

  @ApiPropertyOptional({ description: 'USD per 1,000 prompt tokens; default KPI_PROMPT_TOKEN_COST, else the cost the AI activities reported', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'promptTokenCost must be a number' })
  @Min(0, { message: 'promptTokenCost must be at least 0' })
  promptTokenCost?: number;

  @ApiPropertyOptional({ description: 'USD per 1,000 completion tokens; default KPI_COMPLETION_TOKEN_COST, else the cost the AI activities reported', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'completionTokenCost must be a number' })
  @Min(0, { message: 'completionTokenCost must be at least 0' })
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

  @ApiPropertyOptional({ description: 'Exposures each variant needs before a winner may be declared; default KPI_EXPERIMENT_MIN_SAMPLE (100)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minSample must be an integer' })
  @Min(1, { message: 'minSample must be at least 1' })
  minSample?: number;

  @ApiPropertyOptional({ description: 'Significance level; default KPI_EXPERIMENT_ALPHA (0.05)', minimum: 0.0001, maximum: 0.5 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'alpha must be a number' })
  @Min(0.0001, { message: 'alpha must be at least 0.0001' })
  @Max(0.5, { message: 'alpha must be at most 0.5' })
  alpha?: number;
}

export class TrafficQueryDto extends PeriodQueryDto {}
