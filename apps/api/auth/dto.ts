import { IntField } from '../common/number-fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Role, ROLES } from './roles';

export class CreateApiKeyDto {
  @ApiProperty({ description: 'A name that says who uses the key (shown in the audit log)', example: 'web shop', minLength: 1, maxLength: 120 })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name!: string;

  @ApiProperty({ description: 'What the key may do: admin (everything), editor (flows), operator (agents), system (start runs, messages, events)', enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({
    description: 'Limit the key to these flows: their runs, messages and events only (others answer 404). Omit for every flow.',
    type: [String],
    format: 'uuid',
    maxItems: 100,
  })
  @IsOptional()
  @IsArray({ message: 'flowIds must be an array of flow ids' })
  @ArrayMaxSize(100, { message: 'flowIds must have at most 100 flow ids' })
  @IsUUID('all', { each: true, message: 'flowIds must contain flow ids (UUIDs)' })
  flowIds?: string[];

  @IntField({ name: 'rateLimit', description: 'Requests per second this key may make on each API instance (bursts up to twice that); default CAUCE_RATE_LIMIT (50)', min: 1, max: 100000, optional: true })
  rateLimit?: number;
}

export class ApiKeyDto {
  @ApiProperty({ description: 'Key id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Key name' })
  name!: string;

  @ApiProperty({ description: 'Role', enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'cauce_Xy12' })
  prefix!: string;

  @ApiProperty({ description: 'Flows the key is limited to; null: every flow', type: [String], nullable: true })
  flowIds!: string[] | null;

  @ApiProperty({ description: 'Requests per second; null: the default', type: Number, nullable: true })
  rateLimit!: number | null;

  @ApiProperty({ description: 'Who created it (key id)', type: String, nullable: true })
  createdBy!: string | null;

  @ApiProperty({ description: 'Created at', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last request made with it (updated at most once a minute)', format: 'date-time', type: String, nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({ description: 'Revoked at; null while the key works', format: 'date-time', type: String, nullable: true })
  revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only now: store it; only its hash is kept.', example: 'cauce_3q2…' })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ description: 'Every key, newest first, revoked ones included', type: [ApiKeyDto] })
  items!: ApiKeyDto[];
}

/** `GET /me`: the key behind the request, so a client learns what it may do without trying. */
export class MeDto {
  @ApiProperty({ description: 'Key id; `admin` for CAUCE_ADMIN_KEY', example: '6f1c2d0e-8a4b-4c1e-9f3a-2b7d5e8c1a90' })
  id!: string;

  @ApiProperty({ description: 'Key name (as in the audit log)', example: 'web shop' })
  name!: string;

  @ApiProperty({ description: 'The key’s role: admin (everything), editor (flows, KPIs), operator (agents, alerts), system (start runs, messages, events)', enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'Flows the key is limited to (runs, KPIs and alerts of others answer 404); null: every flow', type: [String], nullable: true })
  flowIds!: string[] | null;

  @ApiProperty({ description: 'Requests per second the key may make on each API instance (bursts up to twice that)', example: 50 })
  rateLimit!: number;
}
