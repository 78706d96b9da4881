import { IntField } from '../common/number-fields';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from './roles';

export class CreateApiKeyDto {
  /** A name that says who uses the key (shown in the audit log) */
  @ApiProperty({ example: 'web shop' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name!: string;

  /** What the key may do: admin (everything), editor (flows), operator (agents), system (start runs, messages, events) */
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  /** Limit the key to these flows: their runs, messages and events only (others answer 404). Omit for every flow. */
  @IsOptional()
  @IsArray({ message: 'flowIds must be an array of flow ids' })
  @ArrayMaxSize(100, { message: 'flowIds must have at most 100 flow ids' })
  @IsUUID('all', { each: true, message: 'flowIds must contain flow ids (UUIDs)' })
  flowIds?: string[];

  @IntField({
    name: 'rateLimit',
    description: 'Requests per second this key may make on each API instance (bursts up to twice that); default CAUCE_RATE_LIMIT (50)',
    min: 1,
    max: 100000,
    optional: true,
  })
  rateLimit?: number;
}

export class ApiKeyDto {
  /** Key id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** Key name */
  name!: string;

  /** Role */
  @ApiProperty({ enum: ROLES })
  role!: Role;

  /** The first characters of the key, to recognise it */
  @ApiProperty({ example: 'cauce_Xy12' })
  prefix!: string;

  /** Flows the key is limited to; null: every flow */
  flowIds!: string[] | null;

  /** Requests per second; null: the default */
  rateLimit!: number | null;

  /** Who created it (key id) */
  createdBy!: string | null;

  /** Created at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last request made with it (updated at most once a minute) */
  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  lastUsedAt!: string | null;

  /** Revoked at; null while the key works */
  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself. Shown only now: store it; only its hash is kept. */
  @ApiProperty({ example: 'cauce_3q2…' })
  key!: string;
}

export class ApiKeyListDto {
  /** Every key, newest first, revoked ones included */
  items!: ApiKeyDto[];
}

/** `GET /me`: the key behind the request, so a client learns what it may do without trying. */
export class MeDto {
  /** Key id; `admin` for CAUCE_ADMIN_KEY */
  @ApiProperty({ example: '6f1c2d0e-8a4b-4c1e-9f3a-2b7d5e8c1a90' })
  id!: string;

  /** Key name (as in the audit log) */
  @ApiProperty({ example: 'web shop' })
  name!: string;

  /** The key’s role: admin (everything), editor (flows, KPIs), operator (agents, alerts), system (start runs, messages, events) */
  @ApiProperty({ enum: ROLES })
  role!: Role;

  /** Flows the key is limited to (runs, KPIs and alerts of others answer 404); null: every flow */
  flowIds!: string[] | null;

  /** Requests per second the key may make on each API instance (bursts up to twice that) */
  @ApiProperty({ example: 50 })
  rateLimit!: number;
}
