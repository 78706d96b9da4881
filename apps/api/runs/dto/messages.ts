// A chat turn: `POST /runs/:runId/messages` and the replies it answers with.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHANNELS, RUN_STATUSES, WAITING_FOR } from './fields';

export class PostMessageDto {
  /** The message text */
  @ApiProperty({ minLength: 1, example: 'Hola, me han cobrado dos veces' })
  @IsString({ message: 'text must be a string' })
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(10000, { message: 'text must be at most 10000 characters' })
  text!: string;

  /** Who writes: the customer (system keys) or an agent (operator keys) */
  @ApiPropertyOptional({ enum: ['customer', 'agent'], default: 'customer' })
  @IsOptional()
  @IsIn(['customer', 'agent'], { message: 'from must be customer or agent' })
  from?: 'customer' | 'agent';

  /** Your message id: a retried send with the same id is handled once (it is the Temporal Update id) */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'id must be 1-200 characters of letters, digits, ., _, : or -' })
  id?: string;

  /** Agent name, for agent messages */
  @IsOptional()
  @IsString({ message: 'agent must be a string' })
  @MaxLength(200, { message: 'agent must be at most 200 characters' })
  agent?: string;

  /** Channel the message came in on */
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: string;
}

export class ButtonDto {
  /** What the button shows */
  label!: string;

  /** What it sends back as the customer’s message */
  value!: string;
}

export class ReplyDto {
  /** Who says it */
  @ApiProperty({ enum: ['bot', 'agent', 'system'] })
  from!: 'bot' | 'agent' | 'system';

  /** Text (already rendered) */
  text!: string;

  /** Node that said it */
  nodeId?: string;

  /** Buttons to offer */
  buttons?: ButtonDto[];

  /** When (workflow time) */
  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class MessageResultDto {
  /** Run id */
  runId!: string;

  /** For a customer message: what the flow (or an agent) said before the run waited again. For an agent message: what the customer and the system said since the agent’s last message. */
  replies!: ReplyDto[];

  /** Run status after the turn */
  @ApiProperty({ enum: RUN_STATUSES })
  status!: string;

  /** What the run waits for now */
  @ApiProperty({ enum: WAITING_FOR, type: String })
  waitingFor!: string | null;

  /** The node the run is in */
  currentNode!: string | null;

  /** Outcome, once the run ended */
  outcome?: string;
}
