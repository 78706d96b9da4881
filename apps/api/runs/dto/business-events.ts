// A business or agent event sent to one run: `POST /runs/:runId/events` (not the run events read by GET).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';

export const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

export class PostRunEventDto {
  /** Event type: agent.accepted, agent.resolved, agent.returned (operator keys) or a business event such as purchase.completed (system keys) */
  @ApiProperty({ example: 'agent.accepted' })
  @IsString({ message: 'type must be a string' })
  @Matches(EVENT_TYPE, { message: 'type must start with a letter and have at most 100 letters, digits, _, ., : or -' })
  type!: string;

  /** Event data, readable as event.* in the waitForEvent rule (e.g. { agent: "Marta" }) */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'data must be an object' })
  data?: Record<string, unknown>;

  /** Event id: the same id delivered twice is handled once */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'id must be 1-200 characters of letters, digits, ., _, : or -' })
  id?: string;
}

export class EventAcceptedDto {
  /** Run id */
  runId!: string;

  /** Event type */
  type!: string;

  /** The event reached the run (it acts on it when it waits for it) */
  accepted!: boolean;
}
