import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EVENT_TYPE } from '../runs/dto';

export class PostEventDto {
  /** Business event type, e.g. cart_abandoned or purchase.completed (agent.* events go to a run: POST /runs/:runId/events) */
  @ApiProperty({ example: 'cart_abandoned' })
  @IsString({ message: 'type must be a string' })
  @Matches(EVENT_TYPE, { message: 'type must start with a letter and have at most 100 letters, digits, _, ., : or -' })
  type!: string;

  /** The customer the event is about */
  @ApiProperty({ example: 'cust-42' })
  @IsString({ message: 'customerId must be a string' })
  @MinLength(1, { message: 'customerId must not be empty' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  @Matches(/^[^\u0000-\u001f]+$/, { message: 'customerId must not contain control characters' })
  customerId!: string;

  /** Event data: the input of the runs it starts (input.*, and input.event), event.* for the runs waiting for it */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'data must be an object' })
  data?: Record<string, unknown>;

  /** Event id: a re-sent event reaches a waiting run once (and starts at most one run per flow when the flow allows concurrent runs) */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'id must be 1-200 characters of letters, digits, ., _, : or -' })
  id?: string;
}

export class StartedByEventDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** Version started */
  version!: number;

  /** The new run */
  runId!: string;
}

export class SkippedFlowDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** Why no run was started: the customer already has an open run of it */
  @ApiProperty({ enum: ['open_run'] })
  reason!: 'open_run';

  /** The open run */
  runId!: string;
}

export class EventResultDto {
  /** Event type */
  type!: string;

  /** Customer */
  customerId!: string;

  /** Runs this event started (flows whose start node listens for it) */
  started!: StartedByEventDto[];

  /** Flows it triggers that did not start a run */
  skipped!: SkippedFlowDto[];

  /** Open runs of the customer the event was delivered to (a waitForEvent in them may take it) */
  delivered!: string[];
}
