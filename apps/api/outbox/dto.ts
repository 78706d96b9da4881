import { CursorPageQuery } from '../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { RUN_ID } from '../common/params';

/** As the outbox table's CHECK constraints (migration CrmKnowledgeOutbox). */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export const OUTBOX_CHANNELS = ['email', 'sms', 'slack', 'webhook', 'whatsapp'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export class ListOutboxQueryDto extends CursorPageQuery(200) {
  /** Only notifications with this status */
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES, { message: `status must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  /** Only notifications on this channel */
  @ApiPropertyOptional({ enum: OUTBOX_CHANNELS })
  @IsOptional()
  @IsIn(OUTBOX_CHANNELS, { message: `channel must be one of ${OUTBOX_CHANNELS.join(', ')}` })
  channel?: OutboxChannel;

  /** Only notifications sent by this run */
  @ApiPropertyOptional({ example: 'run-4b0f…' })
  @IsOptional()
  @IsString({ message: 'runId must be a string' })
  @Matches(RUN_ID, { message: 'runId must be a run id such as run-<uuid>' })
  runId?: string;
}

export class OutboxItemDto {
  /** Notification id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** pending (not delivered yet: no provider for the channel, or not sent yet), sent, failed */
  @ApiProperty({ enum: OUTBOX_STATUSES })
  status!: OutboxStatus;

  /** Why it is pending or failed (e.g. "no provider configured for email", the provider’s error); null when sent */
  reason!: string | null;

  /** Channel */
  @ApiProperty({ enum: OUTBOX_CHANNELS })
  channel!: OutboxChannel;

  /** Recipient: address, phone, Slack channel or URL */
  recipient!: string;

  /** Subject (email) */
  subject!: string | null;

  /** The text */
  body!: string;

  /** What it was for (escalation, alert, ...) */
  purpose!: string | null;

  /** Delivery attempts made through a provider */
  @ApiProperty({ example: 0 })
  attempts!: number;

  /** Run that sent it */
  runId!: string | null;

  /** Flow of that run */
  flowId!: string | null;

  /** Node that sent it */
  nodeId!: string | null;

  /** Written to the outbox at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last status change */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  /** Delivered at */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;
}

export class OutboxPageDto {
  /** Notifications, newest first */
  items!: OutboxItemDto[];

  /** Cursor of the next page; null on the last page */
  nextCursor!: string | null;
}

export class OutboxResendDto {
  /** What the resend did: sent; failed (the provider refused, see reason); pending (the channel still has no provider configured in the worker) */
  @ApiProperty({ enum: OUTBOX_STATUSES })
  outcome!: OutboxStatus;

  /** Why it failed or stays pending; null when sent */
  reason!: string | null;

  /** The notification after the attempt (status, attempts, reason, sentAt) */
  notification!: OutboxItemDto;
}
