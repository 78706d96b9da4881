import { IntField } from '../common/number-fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const AUDIT_ACTIONS = [
  'flow.created',
  'flow.updated',
  'flow.published',
  'flow.duplicated',
  'flow.archived',
  'run.cancelled',
  'api_key.created',
  'api_key.revoked',
  'knowledge.created',
  'knowledge.updated',
  'knowledge.deleted',
  'knowledge.imported',
  'secret.set',
  'secret.deleted',
  'secret.scope_set',
  'customer.created',
  'customer.updated',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'alert.acknowledged',
  'notification.resent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about (`targetType`). */
export const AUDIT_TARGET_TYPES = [
  'flow',
  'api_key',
  'run',
  'knowledge_article',
  'knowledge_collection',
  'secret',
  'customer',
  'alert_rule',
  'alert',
  'notification',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export class AuditQueryDto {
  /** Only entries of this action */
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  /** Only entries about this target (a flow id, a key id, a run id, an alert rule or alert id, ...) */
  @IsOptional()
  @IsString({ message: 'targetId must be a string' })
  @MaxLength(200, { message: 'targetId must be at most 200 characters' })
  targetId?: string;

  @IntField({ name: 'limit', description: 'Page size (1-200)', min: 1, max: 200, optional: true, query: true, default: 50 })
  limit?: number;

  /** The nextCursor of the previous page */
  @IsOptional()
  @Matches(/^\d+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class AuditEntryDto {
  /** Entry id (increasing) */
  @ApiProperty({ example: '42' })
  id!: string;

  /** When the change was made */
  @ApiProperty({ format: 'date-time' })
  at!: string;

  /** Id of the API key that made it (`admin` for CAUCE_ADMIN_KEY) */
  actorId!: string;

  /** Name of that key */
  actorName!: string;

  /** Role of that key */
  @ApiProperty({ enum: ['admin', 'editor', 'operator', 'system'] })
  actorRole!: string;

  /** What was done */
  @ApiProperty({ enum: AUDIT_ACTIONS })
  action!: string;

  /** Kind of the target */
  @ApiProperty({ enum: AUDIT_TARGET_TYPES })
  targetType!: string;

  /** Id of the target */
  targetId!: string | null;

  /** What changed (version published, fields edited, role of a new key, ...; for an alert rule the rule created or deleted, or `before`/`after` of the fields an update changed) */
  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}

export class AuditPageDto {
  /** Entries, newest first */
  items!: AuditEntryDto[];

  /** Cursor of the next page; null on the last page */
  nextCursor!: string | null;
}
