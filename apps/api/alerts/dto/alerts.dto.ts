import { IntField, NumberField } from '../../common/number-fields';
import { CursorPageQuery } from '../../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { COMPARATORS } from '../../../../libs/kpis/alerts';
import { ALERT_CHANNELS } from '../../../../libs/kpis/config';
import { ALERT_KPI_NAMES, ALERT_KPIS } from '../../../../libs/kpis/kpis';

const KPI_LIST = ALERT_KPI_NAMES.map((k) => `${k} (${ALERT_KPIS[k].description})`).join('; ');
export const ALERT_STATUSES = ['open', 'acknowledged', 'active', 'all'] as const;

// ---- requests ---------------------------------------------------------------------------------
export class AlertRuleBodyDto {
  /** A name for people */
  @ApiProperty({ example: 'Escalations above 15%' })
  @IsString({ message: 'name must be a string' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  /** The flow watched; omitted or null: every flow (keys limited to flows must name one) */
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string | null;

  @IntField({ name: 'version', description: 'Only runs of this version', min: 1, nullable: true })
  version?: number | null;

  @ApiProperty({ description: `The KPI watched: ${KPI_LIST}`, enum: ALERT_KPI_NAMES, example: 'escalationRate' })
  @IsIn(ALERT_KPI_NAMES, { message: `kpi must be one of ${ALERT_KPI_NAMES.join(', ')}` })
  kpi!: (typeof ALERT_KPI_NAMES)[number];

  /** The rule fires when `KPI <comparator> threshold` */
  @ApiProperty({ enum: COMPARATORS, example: '>' })
  @IsIn(COMPARATORS, { message: `comparator must be one of ${COMPARATORS.join(' ')}` })
  comparator!: (typeof COMPARATORS)[number];

  @NumberField({
    name: 'threshold',
    description: 'The threshold, in the KPI’s unit (rates 0-1, CSAT 1-5, times in ms or s, costs in USD)',
    min: -1000000000,
    max: 1000000000,
    example: 0.15,
  })
  threshold!: number;

  @IntField({
    name: 'windowMinutes',
    description: 'The KPI is computed over the runs started in the last windowMinutes',
    min: 1,
    max: 129600,
    optional: true,
    default: 60,
  })
  windowMinutes?: number;

  @IntField({
    name: 'minSample',
    description: 'The rule is judged only with at least this many measurements (finished runs for rates, answers for CSAT, answered turns for response times)',
    min: 1,
    max: 1000000000,
    optional: true,
    default: 1,
  })
  minSample?: number;

  /** Channel of the notification (with recipient); omitted: KPI_ALERT_NOTIFY, else no notification */
  @ApiPropertyOptional({ enum: ALERT_CHANNELS })
  @IsOptional()
  @IsIn(ALERT_CHANNELS, { message: `channel must be one of ${ALERT_CHANNELS.join(', ')}` })
  channel?: (typeof ALERT_CHANNELS)[number] | null;

  /** Recipient (an address, a number, a webhook URL), with channel */
  @ValidateIf((o: AlertRuleBodyDto) => o.recipient !== undefined && o.recipient !== null)
  @IsString({ message: 'recipient must be a string' })
  @MinLength(1, { message: 'recipient must not be empty' })
  @MaxLength(2000, { message: 'recipient must be at most 2000 characters' })
  recipient?: string | null;

  /** Disabled rules are not checked */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class ListAlertRulesQueryDto {
  /** Only rules of this flow */
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;
}

export class ListAlertsQueryDto extends CursorPageQuery(200) {
  /** open (default): not acknowledged yet, resolved or not; acknowledged; active: the KPI still breaches; all */
  @ApiPropertyOptional({ enum: ALERT_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: (typeof ALERT_STATUSES)[number];

  /** Only alerts of this flow */
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  /** Only alerts of this rule */
  @IsOptional()
  @IsUUID('all', { message: 'ruleId must be a UUID' })
  ruleId?: string;
}

// ---- responses --------------------------------------------------------------------------------
export class AlertRuleDto {
  /** Rule id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** Name */
  name!: string;

  /** The flow watched; null: every flow */
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  /** The version watched; null: every version */
  version!: number | null;

  /** The KPI watched */
  @ApiProperty({ enum: ALERT_KPI_NAMES })
  kpi!: string;

  /** Fires when KPI <comparator> threshold */
  @ApiProperty({ enum: COMPARATORS })
  comparator!: string;

  /** Threshold */
  threshold!: number;

  /** Window (minutes): runs started in the last windowMinutes */
  windowMinutes!: number;

  /** Minimum measurements before the rule is judged */
  minSample!: number;

  /** Notification channel */
  @ApiProperty({ enum: ALERT_CHANNELS })
  channel!: string | null;

  /** Notification recipient */
  recipient!: string | null;

  /** Whether it is checked */
  enabled!: boolean;

  /** Who created it (API key name) */
  createdBy!: string | null;

  /** Created */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last changed */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  /** Last check */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastCheckedAt!: string | null;

  /** The KPI at the last check (null: no data) */
  lastValue!: number | null;

  /** Its sample at the last check */
  lastSample!: number | null;
}

export class AlertRuleListDto {
  /** The alert rules */
  items!: AlertRuleDto[];
}

export class AlertNotificationDto {
  /** sent, pending (in the outbox, no provider), failed (retried at the next check), none (no recipient) */
  status!: string | null;

  /** The outbox row */
  outboxId!: string | null;

  /** Why it is pending or failed */
  error!: string | null;

  /** When it was handed to the notify activity */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  notifiedAt!: string | null;
}

export class AlertDto {
  /** Alert id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** The rule (null once deleted) */
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  ruleId!: string | null;

  /** The rule’s name when it fired */
  ruleName!: string;

  /** The flow watched; null: every flow */
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  /** The version watched */
  version!: number | null;

  /** The KPI */
  kpi!: string;

  /** Comparator */
  @ApiProperty({ enum: COMPARATORS })
  comparator!: string;

  /** Threshold */
  threshold!: number;

  /** The KPI when it fired */
  value!: number;

  /** Its sample when it fired */
  sample!: number;

  /** Window measured when it fired: start */
  @ApiProperty({ format: 'date-time' })
  windowFrom!: string;

  /** Window measured when it fired: end */
  @ApiProperty({ format: 'date-time' })
  windowTo!: string;

  /** When it fired */
  @ApiProperty({ format: 'date-time' })
  firedAt!: string;

  /** The KPI at the last check while active */
  lastValue!: number;

  /** Last check while active */
  @ApiProperty({ format: 'date-time' })
  lastCheckedAt!: string;

  /** When the KPI went back within the threshold (or the rule was deleted); null while it breaches */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  resolvedAt!: string | null;

  /** When someone acknowledged it */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  acknowledgedAt!: string | null;

  /** Who (API key name) */
  acknowledgedBy!: string | null;

  notification!: AlertNotificationDto;
}

export class AlertPageDto {
  /** Alerts, newest first */
  items!: AlertDto[];

  /** Cursor of the next page; null on the last */
  nextCursor!: string | null;
}
