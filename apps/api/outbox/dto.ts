import { CursorPageQuery } from '../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RUN_ID } from '../common/params';

/** As the outbox table's CHECK constraints (migration CrmKnowledgeOutbox). */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export const OUTBOX_CHANNELS = ['email', 'sms', 'slack', 'webhook', 'whatsapp'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export class ListOutboxQueryDto extends CursorPageQuery(200) {
  @ApiPropertyOptional({ description: 'Only notifications with this status', enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES, { message: `status must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ description: 'Only notifications on this channel', enum: OUTBOX_CHANNELS })
  @IsOptional()
  @IsIn(OUTBOX_CHANNELS, { message: `channel must be one of ${OUTBOX_CHANNELS.join(', ')}` })
  channel?: OutboxChannel;

  @ApiPropertyOptional({ description: 'Only notifications sent by this run', example: 'run-4b0f…' })
  @IsOptional()
  @IsString({ message: 'runId must be a string' })
  @Matches(RUN_ID, { message: 'runId must be a run id such as run-<uuid>' })
  runId?: string;

}

export class OutboxItemDto {
  @ApiProperty({ description: 'Notification id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'pending (not delivered yet: no provider for the channel, or not sent yet), sent, failed', enum: OUTBOX_STATUSES })
  status!: OutboxStatus;

  @ApiProperty({ description: 'Why it is pending or failed (e.g. "no provider configured for email", the provider’s error); null when sent', type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ description: 'Channel', enum: OUTBOX_CHANNELS })
  channel!: OutboxChannel;

  @ApiProperty({ description: 'Recipient: address, phone, Slack channel or URL' })
  recipient!: string;

  @ApiProperty({ description: 'Subject (email)', type: String, nullable: true })
  subject!: string | null;

  @ApiProperty({ description: 'The text' })
  body!: string;

  @ApiProperty({ description: 'What it was for (escalation, alert, ...)', type: String, nullable: true })
  purpose!: string | null;

  @ApiProperty({ description: 'Delivery attempts made through a provider', example: 0 })
  attempts!: number;

  @ApiProperty({ description: 'Run that sent it', type: String, nullable: true })
  runId!: string | null;

  @ApiProperty({ description: 'Flow of that run', type: String, nullable: true })
  flowId!: string | null;

  @ApiProperty({ description: 'Node that sent it', type: String, nullable: true })
  nodeId!: string | null;

  @ApiProperty({ description: 'Written to the outbox at', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last status change', format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ description: 'Delivered at', type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;
}

export class OutboxPageDto {
  @ApiProperty({ description: 'Notifications, newest first', type: [OutboxItemDto] })
  items!: OutboxItemDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last page', type: String, nullable: true })
  nextCursor!: string | null;
}

export class OutboxResendDto {
  @ApiProperty({
    description: 'What the resend did: sent; failed (the provider refused, see reason); pending (the channel still has no provider configured in the worker)',
    enum: OUTBOX_STATUSES,
  })
  outcome!: OutboxStatus;

  @ApiProperty({ description: 'Why it failed or stays pending; null when sent', type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ description: 'The notification after the attempt (status, attempts, reason, sentAt)', type: OutboxItemDto })
  notification!: OutboxItemDto;
}
