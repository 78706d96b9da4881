import { IntField, NumberField } from '../../common/number-fields';
import { CursorPageQuery } from '../../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { COMPARATORS } from '../../../../libs/kpis/alerts';
import { ALERT_CHANNELS } from '../../../../libs/kpis/config';
import { ALERT_KPI_NAMES, ALERT_KPIS } from '../../../../libs/kpis/kpis';

const KPI_LIST = ALERT_KPI_NAMES.map((k) => `${k} (${ALERT_KPIS[k].description})`).join('; ');
export const ALERT_STATUSES = ['open', 'acknowledged', 'active', 'all'] as const;

// ---- requests ---------------------------------------------------------------------------------
export class AlertRuleBodyDto {
  @ApiProperty({ description: 'A name for people', example: 'Escalations above 15%', maxLength: 200 })
  @IsString({ message: 'name must be a string' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiPropertyOptional({ description: 'The flow watched; omitted or null: every flow (keys limited to flows must name one)', format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string | null;

  @IntField({ name: 'version', description: 'Only runs of this version', min: 1, nullable: true })
  version?: number | null;

  @ApiProperty({ description: `The KPI watched: ${KPI_LIST}`, enum: ALERT_KPI_NAMES, example: 'escalationRate' })
  @IsIn(ALERT_KPI_NAMES, { message: `kpi must be one of ${ALERT_KPI_NAMES.join(', ')}` })
  kpi!: (typeof ALERT_KPI_NAMES)[number];

  @ApiProperty({ description: 'The rule fires when `KPI <comparator> threshold`', enum: COMPARATORS, example: '>' })
  @IsIn(COMPARATORS, { message: `comparator must be one of ${COMPARATORS.join(' ')}` })
  comparator!: (typeof COMPARATORS)[number];

  @NumberField({ name: 'threshold', description: 'The threshold, in the KPI’s unit (rates 0-1, CSAT 1-5, times in ms or s, costs in USD)', min: -1000000000, max: 1000000000, example: 0.15 })
  threshold!: number;

  @IntField({ name: 'windowMinutes', description: 'The KPI is computed over the runs started in the last windowMinutes', min: 1, max: 129600, optional: true, default: 60 })
  windowMinutes?: number;

  @IntField({ name: 'minSample', description: 'The rule is judged only with at least this many measurements (finished runs for rates, answers for CSAT, answered turns for response times)', min: 1, max: 1000000000, optional: true, default: 1 })
  minSample?: number;

  @ApiPropertyOptional({ description: 'Channel of the notification (with recipient); omitted: KPI_ALERT_NOTIFY, else no notification', enum: ALERT_CHANNELS, nullable: true })
  @IsOptional()
  @IsIn(ALERT_CHANNELS, { message: `channel must be one of ${ALERT_CHANNELS.join(', ')}` })
  channel?: (typeof ALERT_CHANNELS)[number] | null;

  @ApiPropertyOptional({ description: 'Recipient (an address, a number, a webhook URL), with channel', maxLength: 2000, nullable: true, type: String })
  @ValidateIf((o: AlertRuleBodyDto) => o.recipient !== undefined && o.recipient !== null)
  @IsString({ message: 'recipient must be a string' })
  @MinLength(1, { message: 'recipient must not be empty' })
  @MaxLength(2000, { message: 'recipient must be at most 2000 characters' })
  recipient?: string | null;

  @ApiPropertyOptional({ description: 'Disabled rules are not checked', default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class ListAlertRulesQueryDto {
  @ApiPropertyOptional({ description: 'Only rules of this flow', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;
}

export class ListAlertsQueryDto extends CursorPageQuery(200) {
  @ApiPropertyOptional({
    description: 'open (default): not acknowledged yet, resolved or not; acknowledged; active: the KPI still breaches; all',
    enum: ALERT_STATUSES,
    default: 'open',
  })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: (typeof ALERT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only alerts of this flow', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  @ApiPropertyOptional({ description: 'Only alerts of this rule', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'ruleId must be a UUID' })
  ruleId?: string;

}

// ---- responses --------------------------------------------------------------------------------
export class AlertRuleDto {
  @ApiProperty({ description: 'Rule id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Name' })
  name!: string;

  @ApiProperty({ description: 'The flow watched; null: every flow', type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  @ApiProperty({ description: 'The version watched; null: every version', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'The KPI watched', enum: ALERT_KPI_NAMES })
  kpi!: string;

  @ApiProperty({ description: 'Fires when KPI <comparator> threshold', enum: COMPARATORS })
  comparator!: string;

  @ApiProperty({ description: 'Threshold' })
  threshold!: number;

  @ApiProperty({ description: 'Window (minutes): runs started in the last windowMinutes' })
  windowMinutes!: number;

  @ApiProperty({ description: 'Minimum measurements before the rule is judged' })
  minSample!: number;

  @ApiProperty({ description: 'Notification channel', enum: ALERT_CHANNELS, nullable: true })
  channel!: string | null;

  @ApiProperty({ description: 'Notification recipient', type: String, nullable: true })
  recipient!: string | null;

  @ApiProperty({ description: 'Whether it is checked' })
  enabled!: boolean;

  @ApiProperty({ description: 'Who created it (API key name)', type: String, nullable: true })
  createdBy!: string | null;

  @ApiProperty({ description: 'Created', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last changed', format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ description: 'Last check', type: String, nullable: true, format: 'date-time' })
  lastCheckedAt!: string | null;

  @ApiProperty({ description: 'The KPI at the last check (null: no data)', type: Number, nullable: true })
  lastValue!: number | null;

  @ApiProperty({ description: 'Its sample at the last check', type: Number, nullable: true })
  lastSample!: number | null;
}

export class AlertRuleListDto {
  @ApiProperty({ type: [AlertRuleDto], description: 'The alert rules' })
  items!: AlertRuleDto[];
}

export class AlertNotificationDto {
  @ApiProperty({ description: 'sent, pending (in the outbox, no provider), failed (retried at the next check), none (no recipient)', type: String, nullable: true })
  status!: string | null;

  @ApiProperty({ description: 'The outbox row', type: String, nullable: true })
  outboxId!: string | null;

  @ApiProperty({ description: 'Why it is pending or failed', type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ description: 'When it was handed to the notify activity', type: String, nullable: true, format: 'date-time' })
  notifiedAt!: string | null;
}

export class AlertDto {
  @ApiProperty({ description: 'Alert id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The rule (null once deleted)', type: String, nullable: true, format: 'uuid' })
  ruleId!: string | null;

  @ApiProperty({ description: 'The rule’s name when it fired' })
  ruleName!: string;

  @ApiProperty({ description: 'The flow watched; null: every flow', type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  @ApiProperty({ description: 'The version watched', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'The KPI' })
  kpi!: string;

  @ApiProperty({ description: 'Comparator', enum: COMPARATORS })
  comparator!: string;

  @ApiProperty({ description: 'Threshold' })
  threshold!: number;

  @ApiProperty({ description: 'The KPI when it fired' })
  value!: number;

  @ApiProperty({ description: 'Its sample when it fired' })
  sample!: number;

  @ApiProperty({ description: 'Window measured when it fired: start', format: 'date-time' })
  windowFrom!: string;

  @ApiProperty({ description: 'Window measured when it fired: end', format: 'date-time' })
  windowTo!: string;

  @ApiProperty({ description: 'When it fired', format: 'date-time' })
  firedAt!: string;

  @ApiProperty({ description: 'The KPI at the last check while active' })
  lastValue!: number;

  @ApiProperty({ description: 'Last check while active', format: 'date-time' })
  lastCheckedAt!: string;

  @ApiProperty({ description: 'When the KPI went back within the threshold (or the rule was deleted); null while it breaches', type: String, nullable: true, format: 'date-time' })
  resolvedAt!: string | null;

  @ApiProperty({ description: 'When someone acknowledged it', type: String, nullable: true, format: 'date-time' })
  acknowledgedAt!: string | null;

  @ApiProperty({ description: 'Who (API key name)', type: String, nullable: true })
  acknowledgedBy!: string | null;

  @ApiProperty({ type: AlertNotificationDto })
  notification!: AlertNotificationDto;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto], description: 'Alerts, newest first' })
  items!: AlertDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last', type: String, nullable: true })
  nextCursor!: string | null;
}
