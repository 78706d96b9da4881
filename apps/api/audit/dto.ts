import { IntField } from '../common/number-fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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
export const AUDIT_TARGET_TYPES = ['flow', 'api_key', 'run', 'knowledge_article', 'knowledge_collection', 'secret', 'customer', 'alert_rule', 'alert', 'notification'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Only entries of this action', enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'Only entries about this target (a flow id, a key id, a run id, an alert rule or alert id, ...)', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'targetId must be a string' })
  @MaxLength(200, { message: 'targetId must be at most 200 characters' })
  targetId?: string;

  @IntField({ name: 'limit', description: 'Page size (1-200)', min: 1, max: 200, optional: true, query: true, default: 50 })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Entry id (increasing)', example: '42' })
  id!: string;

  @ApiProperty({ description: 'When the change was made', format: 'date-time' })
  at!: string;

  @ApiProperty({ description: 'Id of the API key that made it (`admin` for CAUCE_ADMIN_KEY)' })
  actorId!: string;

  @ApiProperty({ description: 'Name of that key' })
  actorName!: string;

  @ApiProperty({ description: 'Role of that key', enum: ['admin', 'editor', 'operator', 'system'] })
  actorRole!: string;

  @ApiProperty({ description: 'What was done', enum: AUDIT_ACTIONS })
  action!: string;

  @ApiProperty({ description: 'Kind of the target', enum: AUDIT_TARGET_TYPES })
  targetType!: string;

  @ApiProperty({ description: 'Id of the target', nullable: true, type: String })
  targetId!: string | null;

  @ApiProperty({
    description: 'What changed (version published, fields edited, role of a new key, ...; for an alert rule the rule created or deleted, or `before`/`after` of the fields an update changed)',
    type: 'object',
    additionalProperties: true,
  })
  details!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ description: 'Entries, newest first', type: [AuditEntryDto] })
  items!: AuditEntryDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last page', nullable: true, type: String })
  nextCursor!: string | null;
}
