// Reading runs: `GET /runs` (the list) and `GET /runs/:runId` (one run with its live state).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IntField } from '../../common/number-fields';
import { RUN_STATUS_FILTERS } from '../visibility';
import { RUN_STATUSES, WAITING_FOR } from './fields';
import { ButtonDto } from './messages';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListRunsQueryDto {
  /** Only runs of this flow */
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  @IntField({ name: 'version', description: 'Only runs of this version', min: 0, optional: true, query: true })
  version?: number;

  /** Only runs of this customer */
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  customerId?: string;

  /** Only runs in this state (running: open, waiting or not) */
  @ApiPropertyOptional({ enum: RUN_STATUS_FILTERS })
  @IsOptional()
  @IsIn(RUN_STATUS_FILTERS, { message: `status must be one of ${RUN_STATUS_FILTERS.join(', ')}` })
  status?: (typeof RUN_STATUS_FILTERS)[number];

  /** Only runs started at or after this instant (ISO 8601) */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startedAfter must be an ISO 8601 date-time' })
  startedAfter?: string;

  /** Only runs started before this instant (ISO 8601) */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startedBefore must be an ISO 8601 date-time' })
  startedBefore?: string;

  /** Include the editor’s test runs of drafts */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'includeTest must be true or false' })
  includeTest?: boolean;

  @IntField({ name: 'pageSize', description: 'Page size (1-100)', min: 1, max: 100, optional: true, query: true, default: 20 })
  pageSize?: number;

  /** The nextCursor of the previous page */
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(4000, { message: 'cursor must be at most 4000 characters' })
  // Cursors are base64url (common/cursor.ts): anything else cannot be one.
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class TranscriptEntryDto {
  /** Who said it */
  @ApiProperty({ enum: ['customer', 'bot', 'agent', 'system'] })
  from!: string;

  /** Text */
  text!: string;

  /** When */
  @ApiProperty({ format: 'date-time' })
  at!: string;

  /** Node that said it */
  nodeId?: string;

  /** Buttons offered */
  buttons?: ButtonDto[];
}

export class PathStepDto {
  /** Node id */
  nodeId!: string;

  /** Node type */
  type!: string;

  /** Entered at */
  @ApiProperty({ format: 'date-time' })
  enteredAt!: string;

  /** Left at */
  @ApiPropertyOptional({ format: 'date-time' })
  leftAt?: string;

  /** Branch taken when it left */
  branch?: string | null;
}

export class EscalationDto {
  /** Escalate node */
  nodeId!: string;

  /** Tier index (0 first) */
  tier!: number;

  /** Agent queue */
  queue!: string;

  /** waiting for an agent, or accepted */
  @ApiProperty({ enum: ['waiting', 'accepted'] })
  status!: string;

  /** Agent who accepted */
  agent?: string;

  /** Since */
  @ApiProperty({ format: 'date-time' })
  since!: string;
}

export class RunErrorDto {
  /** Node that failed */
  nodeId?: string;

  /** What failed */
  message!: string;
}

export class RunSummaryDto {
  /** Run id */
  runId!: string;

  /** Flow id */
  flowId!: string | null;

  /** Pinned version (0: test run of a draft) */
  version!: number | null;

  /** Customer */
  customerId!: string | null;

  /** Status (open runs: running) */
  @ApiProperty({ enum: RUN_STATUSES })
  status!: string;

  /** Outcome once ended */
  outcome!: string | null;

  /** Start key, if any */
  startKey!: string | null;

  /** What started it: api, event, schedule, test */
  trigger!: string | null;

  /** A test run of a draft */
  test!: boolean;

  /** Started at */
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  /** Closed at */
  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  closedAt!: string | null;
}

export class RunDto extends RunSummaryDto {
  /** Node the run is in */
  currentNode!: string | null;

  /** What it waits for */
  @ApiProperty({ enum: WAITING_FOR, type: String })
  waitingFor!: string | null;

  /** Flow variables */
  @ApiProperty({ type: 'object', additionalProperties: true })
  vars!: Record<string, unknown>;

  /** The CRM customer the run loaded */
  @ApiProperty({ type: 'object', additionalProperties: true })
  customer!: Record<string, unknown> | null;

  /** The conversation (the latest 200 entries after a continue-as-new; all of it is in the run events) */
  transcript!: TranscriptEntryDto[];

  /** The path taken, node by node, with the branch each left by */
  path!: PathStepDto[];

  /** The escalation in progress */
  escalation?: EscalationDto;

  /** Why the run failed */
  error?: RunErrorDto;

  /** Experiment variants the run was assigned */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  experiments!: Record<string, string>;

  /** False when the live state could not be read (no worker, or history gone): only the index fields are filled */
  stateAvailable!: boolean;
}

export class RunPageDto {
  /** Runs, newest first */
  items!: RunSummaryDto[];

  /** Cursor of the next page; null on the last page */
  nextCursor!: string | null;
}
