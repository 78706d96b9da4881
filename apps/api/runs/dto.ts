import { IntField } from '../common/number-fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { RUN_STATUS_FILTERS } from './visibility';

const CHANNELS = ['chat', 'email', 'sms', 'whatsapp'] as const;
const LOCALES = ['es', 'en'] as const;
const ID_TEXT = /^[^\u0000-\u001f]+$/;

// ---- requests ---------------------------------------------------------------------------------
export class StartRunDto {
  @ApiPropertyOptional({ description: 'The run input, readable as input.* in rules and templates', type: 'object', additionalProperties: true, example: { orderId: 'A-1001' } })
  @IsOptional()
  @IsObject({ message: 'input must be an object' })
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The customer this run is about (CRM id of the calling system)', example: 'cust-42', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MinLength(1, { message: 'customerId must not be empty' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'customerId must not contain control characters' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'Idempotency key: while a run of this flow started with the same key is open, starting again returns it (created: false)', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'key must be a string' })
  @MinLength(1, { message: 'key must not be empty' })
  @MaxLength(200, { message: 'key must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'key must not contain control characters' })
  key?: string;

  @IntField({ name: 'version', description: 'A published version to run; default the latest', min: 1, optional: true })
  version?: number;

  @ApiPropertyOptional({ description: 'Channel replies go out on; default the start node’s, else chat', enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: (typeof CHANNELS)[number];

  @ApiPropertyOptional({ description: 'Language of the built-in customer-facing texts', enum: LOCALES, default: 'es' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be es or en' })
  locale?: (typeof LOCALES)[number];
}

export class TestRunDto {
  @ApiPropertyOptional({ description: 'The run input, readable as input.*', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'input must be an object' })
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A customer to simulate', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MinLength(1, { message: 'customerId must not be empty' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'customerId must not contain control characters' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'Channel', enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: (typeof CHANNELS)[number];

  @ApiPropertyOptional({ description: 'Language of the built-in texts and of validation problems', enum: LOCALES, default: 'es' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be es or en' })
  locale?: (typeof LOCALES)[number];
}

export class PostMessageDto {
  @ApiProperty({ description: 'The message text', minLength: 1, maxLength: 10000, example: 'Hola, me han cobrado dos veces' })
  @IsString({ message: 'text must be a string' })
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(10000, { message: 'text must be at most 10000 characters' })
  text!: string;

  @ApiPropertyOptional({ description: 'Who writes: the customer (system keys) or an agent (operator keys)', enum: ['customer', 'agent'], default: 'customer' })
  @IsOptional()
  @IsIn(['customer', 'agent'], { message: 'from must be customer or agent' })
  from?: 'customer' | 'agent';

  @ApiPropertyOptional({ description: 'Your message id: a retried send with the same id is handled once (it is the Temporal Update id)', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'id must be 1-200 characters of letters, digits, ., _, : or -' })
  id?: string;

  @ApiPropertyOptional({ description: 'Agent name, for agent messages', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'agent must be a string' })
  @MaxLength(200, { message: 'agent must be at most 200 characters' })
  agent?: string;

  @ApiPropertyOptional({ description: 'Channel the message came in on', enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: string;
}

export const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

export class PostRunEventDto {
  @ApiProperty({ description: 'Event type: agent.accepted, agent.resolved, agent.returned (operator keys) or a business event such as purchase.completed (system keys)', example: 'agent.accepted' })
  @IsString({ message: 'type must be a string' })
  @Matches(EVENT_TYPE, { message: 'type must start with a letter and have at most 100 letters, digits, _, ., : or -' })
  type!: string;

  @ApiPropertyOptional({ description: 'Event data, readable as event.* in the waitForEvent rule (e.g. { agent: "Marta" })', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'data must be an object' })
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Event id: the same id delivered twice is handled once', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'id must be a string' })
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'id must be 1-200 characters of letters, digits, ., _, : or -' })
  id?: string;
}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListRunsQueryDto {
  @ApiPropertyOptional({ description: 'Only runs of this flow', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  @IntField({ name: 'version', description: 'Only runs of this version', min: 0, optional: true, query: true })
  version?: number;

  @ApiPropertyOptional({ description: 'Only runs of this customer', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'Only runs in this state (running: open, waiting or not)', enum: RUN_STATUS_FILTERS })
  @IsOptional()
  @IsIn(RUN_STATUS_FILTERS, { message: `status must be one of ${RUN_STATUS_FILTERS.join(', ')}` })
  status?: (typeof RUN_STATUS_FILTERS)[number];

  @ApiPropertyOptional({ description: 'Only runs started at or after this instant (ISO 8601)', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startedAfter must be an ISO 8601 date-time' })
  startedAfter?: string;

  @ApiPropertyOptional({ description: 'Only runs started before this instant (ISO 8601)', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startedBefore must be an ISO 8601 date-time' })
  startedBefore?: string;

  @ApiPropertyOptional({ description: 'Include the editor’s test runs of drafts', default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'includeTest must be true or false' })
  includeTest?: boolean;

  @IntField({ name: 'pageSize', description: 'Page size (1-100)', min: 1, max: 100, optional: true, query: true, default: 20 })
  pageSize?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(4000, { message: 'cursor must be at most 4000 characters' })
  // Cursors are base64url (common/cursor.ts): anything else cannot be one.
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class RunEventsQueryDto {
  @IntField({ name: 'afterSeq', description: 'Only events after this sequence number (the nextAfterSeq of the previous page)', min: 0, optional: true, query: true, default: 0 })
  afterSeq?: number;

  @IntField({ name: 'limit', description: 'Page size (1-1000)', min: 1, max: 1000, optional: true, query: true, default: 200 })
  limit?: number;
}

// ---- responses --------------------------------------------------------------------------------
export class ButtonDto {
  @ApiProperty({ description: 'What the button shows' })
  label!: string;

  @ApiProperty({ description: 'What it sends back as the customer’s message' })
  value!: string;
}

export class ReplyDto {
  @ApiProperty({ description: 'Who says it', enum: ['bot', 'agent', 'system'] })
  from!: 'bot' | 'agent' | 'system';

  @ApiProperty({ description: 'Text (already rendered)' })
  text!: string;

  @ApiPropertyOptional({ description: 'Node that said it' })
  nodeId?: string;

  @ApiPropertyOptional({ description: 'Buttons to offer', type: [ButtonDto] })
  buttons?: ButtonDto[];

  @ApiProperty({ description: 'When (workflow time)', format: 'date-time' })
  at!: string;
}

export const RUN_STATUSES = ['running', 'waiting', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export const WAITING_FOR = ['reply', 'event', 'timer', 'agent', 'subflow'] as const;

export class RunStartedDto {
  @ApiProperty({ description: 'Run id (the Temporal workflow id), run-<uuid>', example: 'run-1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  runId!: string;

  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({ description: 'The version the run pinned (0 for a test run of the draft)' })
  version!: number;

  @ApiProperty({ description: 'Status when the answer was written', enum: RUN_STATUSES })
  status!: string;

  @ApiProperty({ description: 'False when an open run with the same key was returned instead of starting one' })
  created!: boolean;

  @ApiProperty({
    description: 'The bot’s opening messages, when the run reached its first wait within 2 s (else empty: they come with the first chat turn). Empty for an existing run.',
    type: [ReplyDto],
  })
  replies!: ReplyDto[];

  @ApiProperty({ description: 'Whether it is a test run of the draft' })
  test!: boolean;
}

export class MessageResultDto {
  @ApiProperty({ description: 'Run id' })
  runId!: string;

  @ApiProperty({
    description:
      'For a customer message: what the flow (or an agent) said before the run waited again. For an agent message: what the customer and the system said since the agent’s last message.',
    type: [ReplyDto],
  })
  replies!: ReplyDto[];

  @ApiProperty({ description: 'Run status after the turn', enum: RUN_STATUSES })
  status!: string;

  @ApiProperty({ description: 'What the run waits for now', enum: WAITING_FOR, nullable: true, type: String })
  waitingFor!: string | null;

  @ApiProperty({ description: 'The node the run is in', nullable: true, type: String })
  currentNode!: string | null;

  @ApiPropertyOptional({ description: 'Outcome, once the run ended' })
  outcome?: string;
}

export class EventAcceptedDto {
  @ApiProperty({ description: 'Run id' })
  runId!: string;

  @ApiProperty({ description: 'Event type' })
  type!: string;

  @ApiProperty({ description: 'The event reached the run (it acts on it when it waits for it)' })
  accepted!: boolean;
}

export class CancelAcceptedDto {
  @ApiProperty({ description: 'Run id' })
  runId!: string;

  @ApiProperty({ description: 'Cancellation requested; the run records its outcome and closes', enum: ['cancelling'] })
  status!: 'cancelling';
}

export class TranscriptEntryDto {
  @ApiProperty({ description: 'Who said it', enum: ['customer', 'bot', 'agent', 'system'] })
  from!: string;

  @ApiProperty({ description: 'Text' })
  text!: string;

  @ApiProperty({ description: 'When', format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({ description: 'Node that said it' })
  nodeId?: string;

  @ApiPropertyOptional({ description: 'Buttons offered', type: [ButtonDto] })
  buttons?: ButtonDto[];
}

export class PathStepDto {
  @ApiProperty({ description: 'Node id' })
  nodeId!: string;

  @ApiProperty({ description: 'Node type' })
  type!: string;

  @ApiProperty({ description: 'Entered at', format: 'date-time' })
  enteredAt!: string;

  @ApiPropertyOptional({ description: 'Left at', format: 'date-time' })
  leftAt?: string;

  @ApiPropertyOptional({ description: 'Branch taken when it left', type: String, nullable: true })
  branch?: string | null;
}

export class EscalationDto {
  @ApiProperty({ description: 'Escalate node' })
  nodeId!: string;

  @ApiProperty({ description: 'Tier index (0 first)' })
  tier!: number;

  @ApiProperty({ description: 'Agent queue' })
  queue!: string;

  @ApiProperty({ description: 'waiting for an agent, or accepted', enum: ['waiting', 'accepted'] })
  status!: string;

  @ApiPropertyOptional({ description: 'Agent who accepted' })
  agent?: string;

  @ApiProperty({ description: 'Since', format: 'date-time' })
  since!: string;
}

export class RunErrorDto {
  @ApiPropertyOptional({ description: 'Node that failed' })
  nodeId?: string;

  @ApiProperty({ description: 'What failed' })
  message!: string;
}

export class RunSummaryDto {
  @ApiProperty({ description: 'Run id' })
  runId!: string;

  @ApiProperty({ description: 'Flow id', type: String, nullable: true })
  flowId!: string | null;

  @ApiProperty({ description: 'Pinned version (0: test run of a draft)', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'Customer', type: String, nullable: true })
  customerId!: string | null;

  @ApiProperty({ description: 'Status (open runs: running)', enum: RUN_STATUSES })
  status!: string;

  @ApiProperty({ description: 'Outcome once ended', type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty({ description: 'Start key, if any', type: String, nullable: true })
  startKey!: string | null;

  @ApiProperty({ description: 'What started it: api, event, schedule, test', type: String, nullable: true })
  trigger!: string | null;

  @ApiProperty({ description: 'A test run of a draft' })
  test!: boolean;

  @ApiProperty({ description: 'Started at', format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ description: 'Closed at', format: 'date-time', type: String, nullable: true })
  closedAt!: string | null;
}

export class RunDto extends RunSummaryDto {
  @ApiProperty({ description: 'Node the run is in', type: String, nullable: true })
  currentNode!: string | null;

  @ApiProperty({ description: 'What it waits for', enum: WAITING_FOR, type: String, nullable: true })
  waitingFor!: string | null;

  @ApiProperty({ description: 'Flow variables', type: 'object', additionalProperties: true })
  vars!: Record<string, unknown>;

  @ApiProperty({ description: 'The CRM customer the run loaded', type: 'object', additionalProperties: true, nullable: true })
  customer!: Record<string, unknown> | null;

  @ApiProperty({ description: 'The conversation (the latest 200 entries after a continue-as-new; all of it is in the run events)', type: [TranscriptEntryDto] })
  transcript!: TranscriptEntryDto[];

  @ApiProperty({ description: 'The path taken, node by node, with the branch each left by', type: [PathStepDto] })
  path!: PathStepDto[];

  @ApiPropertyOptional({ description: 'The escalation in progress', type: EscalationDto })
  escalation?: EscalationDto;

  @ApiPropertyOptional({ description: 'Why the run failed', type: RunErrorDto })
  error?: RunErrorDto;

  @ApiProperty({ description: 'Experiment variants the run was assigned', type: 'object', additionalProperties: { type: 'string' } })
  experiments!: Record<string, string>;

  @ApiProperty({ description: 'False when the live state could not be read (no worker, or history gone): only the index fields are filled' })
  stateAvailable!: boolean;
}

export class RunPageDto {
  @ApiProperty({ description: 'Runs, newest first', type: [RunSummaryDto] })
  items!: RunSummaryDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last page', type: String, nullable: true })
  nextCursor!: string | null;
}

export class RunEventDto {
  @ApiProperty({ description: 'Sequence number in the run' })
  seq!: number;

  @ApiProperty({ description: 'Event type: run.started, node.entered, message.in, escalation.accepted, goal, ...' })
  type!: string;

  @ApiProperty({ description: 'Node concerned', type: String, nullable: true })
  nodeId!: string | null;

  @ApiProperty({ description: 'Event data', type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'When (workflow time)', format: 'date-time' })
  occurredAt!: string;
}

export class RunEventPageDto {
  @ApiProperty({ description: 'Events in order. The workflow writes them in batches, so the latest may appear a little later.', type: [RunEventDto] })
  items!: RunEventDto[];

  @ApiProperty({ description: 'afterSeq of the next page; null when this page is the last so far', type: Number, nullable: true })
  nextAfterSeq!: number | null;
}
