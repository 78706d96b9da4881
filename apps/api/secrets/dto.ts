import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { MAX_ALLOWED_HOSTS } from '../../../activities/secrets/host-patterns';
import { MAX_SECRET_BYTES, SECRET_ROLES } from '../../../activities/secrets/secret-store';

const ALLOWED_HOSTS_DESCRIPTION =
  'Hosts a flow’s http node may send the secret to: exact host names or IP addresses (`api.helpdesk.com`), `*.domain` for its subdomains (not the domain itself), each optionally with `:port` (without one, only the scheme’s default port). A request to any other host fails on its error branch, and publishing a flow that sends it to another literal host answers 422. Empty: nowhere';
const FLOW_IDS_DESCRIPTION = 'Only runs of these flows may send the secret; null: any flow';
const ROLES_DESCRIPTION =
  'Besides admin, the roles whose keys may publish or test-run a flow that references the secret (`["editor"]` or `[]` for admin only); null: any role that may publish';

/** The scope fields shared by PUT (with the value) and PATCH (scope only). Omitted fields keep their stored value. */
class SecretScopeFields {
  @ValidateIf((o: SecretScopeFields) => o.allowedHosts !== undefined)
  @IsArray({ message: 'allowedHosts must be a list of host names' })
  @ArrayMaxSize(MAX_ALLOWED_HOSTS, { message: `allowedHosts must have at most ${MAX_ALLOWED_HOSTS} entries` })
  @IsString({ each: true, message: 'allowedHosts must contain host names (text)' })
  @MaxLength(260, { each: true, message: 'allowedHosts entries must be at most 260 characters' })
  allowedHosts?: string[];

  @IsOptional()
  @IsArray({ message: 'flowIds must be null or an array of flow ids' })
  @ArrayMaxSize(100, { message: 'flowIds must have at most 100 flow ids' })
  @IsUUID('all', { each: true, message: 'flowIds must contain flow ids (UUIDs)' })
  flowIds?: string[] | null;

  @IsOptional()
  @IsArray({ message: 'roles must be null or an array of roles' })
  @IsIn(SECRET_ROLES as unknown as string[], { each: true, message: `roles must contain only ${SECRET_ROLES.join(', ')}` })
  roles?: string[] | null;
}

/** Messages here never interpolate the value ($value), so a refusal cannot echo a secret. */
export class SetSecretDto extends SecretScopeFields {
  @ApiProperty({
    description: `The secret (an API token, a password), 1 to ${MAX_SECRET_BYTES} bytes. Stored encrypted (AES-256-GCM under SECRETS_KEY); never returned, logged or audited`,
    writeOnly: true,
    example: 'sk-live-…',
  })
  @IsString({ message: 'value must be a string' })
  @MinLength(1, { message: 'value must not be empty' })
  @MaxLength(MAX_SECRET_BYTES, { message: `value must be at most ${MAX_SECRET_BYTES} characters` })
  value!: string;

  @ApiPropertyOptional({
    description: `${ALLOWED_HOSTS_DESCRIPTION}. Required for a new secret; omitted on a replace: kept`,
    type: [String],
    maxItems: MAX_ALLOWED_HOSTS,
    example: ['api.helpdesk.com', '*.helpdesk.com:8443'],
  })
  declare allowedHosts?: string[];

  @ApiPropertyOptional({
    description: `${FLOW_IDS_DESCRIPTION}. Omitted: kept (a new secret: any flow)`,
    type: [String],
    format: 'uuid',
    nullable: true,
    maxItems: 100,
  })
  declare flowIds?: string[] | null;

  @ApiPropertyOptional({ description: `${ROLES_DESCRIPTION}. Omitted: kept (a new secret: null)`, type: [String], enum: SECRET_ROLES, nullable: true })
  declare roles?: string[] | null;
}

/** PATCH: where the secret may go, without sending its value again (e.g. for secrets stored before scopes existed). */
export class SetSecretScopeDto extends SecretScopeFields {
  @ApiPropertyOptional({
    description: `${ALLOWED_HOSTS_DESCRIPTION}. Omitted: kept`,
    type: [String],
    maxItems: MAX_ALLOWED_HOSTS,
    example: ['api.helpdesk.com'],
  })
  declare allowedHosts?: string[];

  @ApiPropertyOptional({ description: `${FLOW_IDS_DESCRIPTION}. Omitted: kept`, type: [String], format: 'uuid', nullable: true, maxItems: 100 })
  declare flowIds?: string[] | null;

  @ApiPropertyOptional({ description: `${ROLES_DESCRIPTION}. Omitted: kept`, type: [String], enum: SECRET_ROLES, nullable: true })
  declare roles?: string[] | null;
}

export class SecretInfoDto {
  /** Name, as flows reference it (letters, digits, ".", "_", "-") */
  @ApiProperty({ example: 'HELPDESK_TOKEN' })
  name!: string;

  /** Hosts flows may send it to (empty: nowhere, e.g. a secret stored before allowed hosts existed) */
  allowedHosts!: string[];

  @ApiProperty({ description: FLOW_IDS_DESCRIPTION, type: [String], nullable: true })
  flowIds!: string[] | null;

  @ApiProperty({ description: ROLES_DESCRIPTION, type: [String], enum: SECRET_ROLES, nullable: true })
  roles!: string[] | null;

  /** Created at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last set at (value or scope) */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  /** Name of the API key that last set it */
  updatedBy!: string | null;
}

export class SecretSetDto extends SecretInfoDto {
  /** True when the secret did not exist before (HTTP 201), false when it was replaced (HTTP 200) */
  created!: boolean;
}

export class SecretListDto {
  /** Every secret’s name, scope and timestamps, sorted by name; never values */
  items!: SecretInfoDto[];

  /** Whether SECRETS_KEY is configured (without it secrets cannot be set) */
  writable!: boolean;
}
