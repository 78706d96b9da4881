// Starting a run: `POST /flows/:id/runs`, `POST /flows/:id/test-runs` and what they answer.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IntField } from '../../common/number-fields';
import { CHANNELS, LOCALES, ID_TEXT, RUN_STATUSES } from './fields';
import { ReplyDto } from './messages';

export class StartRunDto {
  /** The run input, readable as input.* in rules and templates */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { orderId: 'A-1001' } })
  @IsOptional()
  @IsObject({ message: 'input must be an object' })
  input?: Record<string, unknown>;

  /** The customer this run is about (CRM id of the calling system) */
  @ApiPropertyOptional({ example: 'cust-42' })
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MinLength(1, { message: 'customerId must not be empty' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'customerId must not contain control characters' })
  customerId?: string;

  /** Idempotency key: while a run of this flow started with the same key is open, starting again returns it (created: false) */
  @IsOptional()
  @IsString({ message: 'key must be a string' })
  @MinLength(1, { message: 'key must not be empty' })
  @MaxLength(200, { message: 'key must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'key must not contain control characters' })
  key?: string;

  @IntField({ name: 'version', description: 'A published version to run; default the latest', min: 1, optional: true })
  version?: number;

  /** Channel replies go out on; default the start node’s, else chat */
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: (typeof CHANNELS)[number];

  /** Language of the built-in customer-facing texts */
  @ApiPropertyOptional({ enum: LOCALES, default: 'es' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be es or en' })
  locale?: (typeof LOCALES)[number];
}

export class TestRunDto {
  /** The run input, readable as input.* */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject({ message: 'input must be an object' })
  input?: Record<string, unknown>;

  /** A customer to simulate */
  @IsOptional()
  @IsString({ message: 'customerId must be a string' })
  @MinLength(1, { message: 'customerId must not be empty' })
  @MaxLength(200, { message: 'customerId must be at most 200 characters' })
  @Matches(ID_TEXT, { message: 'customerId must not contain control characters' })
  customerId?: string;

  /** Channel */
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: (typeof CHANNELS)[number];

  /** Language of the built-in texts and of validation problems */
  @ApiPropertyOptional({ enum: LOCALES, default: 'es' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be es or en' })
  locale?: (typeof LOCALES)[number];
}

export class RunStartedDto {
  /** Run id (the Temporal workflow id), run-<uuid> */
  @ApiProperty({ example: 'run-1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  runId!: string;

  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** The version the run pinned (0 for a test run of the draft) */
  version!: number;

  /** Status when the answer was written */
  @ApiProperty({ enum: RUN_STATUSES })
  status!: string;

  /** False when an open run with the same key was returned instead of starting one */
  created!: boolean;

  /** The bot’s opening messages, when the run reached its first wait within 2 s (else empty: they come with the first chat turn). Empty for an existing run. */
  replies!: ReplyDto[];

  /** Whether it is a test run of the draft */
  test!: boolean;
}
