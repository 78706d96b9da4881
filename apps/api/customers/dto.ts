import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';
import { normalizeEmail, normalizePhone, normalizeTag } from '../../../activities/crm/validation';

export const MAX_NAME = 200;
export const MAX_TAGS = 100;
export const MAX_ATTRIBUTES_BYTES = 64 * 1024;

/** Email as the CRM activities accept it (activities/crm/validation.ts), so the API and flows agree. */
const EMAIL_PATTERN = '^[^\\s@"\'<>(),;:\\\\]+@[^\\s@"\'<>(),;:\\\\]+\\.[^\\s@"\'<>(),;:\\\\]{2,}$';
/** Digits only, as stored; the API also accepts spaces, dashes, dots and parentheses and removes them. */
const PHONE_PATTERN = '^(\\+[0-9]{6,15}|[1-9][0-9]{5,14}|0[1-9][0-9]{4,13})$';

const TAG_PATTERN = '^[^\\u0000-\\u001f]*[^\\s\\ufeff\\u0000-\\u001f][^\\u0000-\\u001f]*$';

function IsCustomerEmail(options?: ValidationOptions) {
  return ValidateBy({ name: 'isCustomerEmail', validator: { validate: (v) => typeof v === 'string' && normalizeEmail(v) !== null } }, options);
}

function IsCustomerPhone(options?: ValidationOptions) {
  return ValidateBy({ name: 'isCustomerPhone', validator: { validate: (v) => typeof v === 'string' && normalizePhone(v) !== null } }, options);
}

function IsCustomerTag(options?: ValidationOptions) {
  return ValidateBy({ name: 'isCustomerTag', validator: { validate: (v) => normalizeTag(v) !== null } }, options);
}

function IsSmallJson(maxBytes: number, options?: ValidationOptions) {
  return ValidateBy(
    { name: 'isSmallJson', validator: { validate: (v) => v === undefined || v === null || Buffer.byteLength(JSON.stringify(v), 'utf8') <= maxBytes } },
    options,
  );
}

/**
 * A customer as a whole (PUT replaces): omitted fields become empty (null, `{}`, `[]`). To change
 * one field, GET, change it, PUT; flows change fields one at a time with `crm.update`.
 */
export class PutCustomerDto {
  /** Full name */
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Ana Pérez' })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MaxLength(MAX_NAME, { message: `name must be at most ${MAX_NAME} characters` })
  name?: string | null;

  // The patterns are the CRM's own rules (activities/crm/validation.ts) written for the document.
  @ApiPropertyOptional({
    description: 'Email address, unique among customers (case-insensitive); stored lowercased',
    type: String,
    nullable: true,
    example: 'ana@example.com',
    maxLength: 254,
    pattern: EMAIL_PATTERN,
  })
  @IsOptional()
  @IsCustomerEmail({ message: 'email must be an email address such as ana@example.com' })
  email?: string | null;

  /** Phone number, 6 to 15 digits with an optional leading +; stored as digits ("+34 600-123 456" -> "+34600123456") */
  @ApiPropertyOptional({ type: String, nullable: true, example: '+34600123456', pattern: PHONE_PATTERN })
  @IsOptional()
  @IsCustomerPhone({ message: 'phone must be a phone number of 6 to 15 digits, optionally starting with +' })
  phone?: string | null;

  /** Free attributes (plan, lifetime value, ...), readable by flows as customer.attributes; at most 64 KB as JSON */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @IsOptional()
  @IsObject({ message: 'attributes must be an object' })
  @IsSmallJson(MAX_ATTRIBUTES_BYTES, { message: `attributes must be at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON` })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: `Tags (up to ${MAX_TAGS}, each 1-64 characters, not blank, no control characters; trimmed), kept in order without duplicates`,
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 64, pattern: TAG_PATTERN },
    default: [],
    example: ['vip'],
  })
  @IsOptional()
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsCustomerTag({ each: true, message: 'tags must be strings of 1 to 64 characters without control characters' })
  tags?: string[];
}

export class CustomerDto {
  /** Customer id (from the system that owns the customer: shop, help desk) */
  @ApiProperty({ example: 'cust-42' })
  id!: string;

  /** Full name */
  name!: string | null;

  /** Email address (lowercased) */
  email!: string | null;

  /** Phone number (digits, optional leading +) */
  phone!: string | null;

  /** Free attributes */
  @ApiProperty({ type: 'object', additionalProperties: true })
  attributes!: Record<string, unknown>;

  /** Tags */
  tags!: string[];

  /** Created at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last change (by the API or a flow) */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PutCustomerResultDto extends CustomerDto {
  /** True when the customer did not exist (HTTP 201), false when replaced (HTTP 200) */
  created!: boolean;
}
