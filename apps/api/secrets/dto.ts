import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_SECRET_BYTES } from '../../../activities/secrets/secret-store';

/** Messages here never interpolate the value ($value), so a refusal cannot echo a secret. */
export class SetSecretDto {
  @ApiProperty({
    description: `The secret (an API token, a password), 1 to ${MAX_SECRET_BYTES} bytes. Stored encrypted (AES-256-GCM under SECRETS_KEY); never returned, logged or audited`,
    writeOnly: true,
    example: 'sk-live-…',
  })
  @IsString({ message: 'value must be a string' })
  @MinLength(1, { message: 'value must not be empty' })
  @MaxLength(MAX_SECRET_BYTES, { message: `value must be at most ${MAX_SECRET_BYTES} characters` })
  value!: string;
}

export class SecretInfoDto {
  @ApiProperty({ description: 'Name, as flows reference it (letters, digits, ".", "_", "-")', example: 'HELPDESK_TOKEN' })
  name!: string;

  @ApiProperty({ description: 'Created at', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last set at', format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ description: 'Name of the API key that last set it', type: String, nullable: true })
  updatedBy!: string | null;
}

export class SecretSetDto extends SecretInfoDto {
  @ApiProperty({ description: 'True when the secret did not exist before (HTTP 201), false when it was replaced (HTTP 200)' })
  created!: boolean;
}

export class SecretListDto {
  @ApiProperty({ description: 'Every secret’s name and timestamps, sorted by name; never values', type: [SecretInfoDto] })
  items!: SecretInfoDto[];

  @ApiProperty({ description: 'Whether SECRETS_KEY is configured (without it secrets cannot be set)' })
  writable!: boolean;
}
