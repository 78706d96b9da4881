import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** PostgreSQL's int4: versions, sequence numbers and counts are stored as integer columns. */
export const INT32_MAX = 2_147_483_647;

/*
 * Query strings arrive as text. `Type(() => Number)` would turn "" into 0 and "1e3" into 1000, so a
 * value the document calls invalid would pass; these convert only text that is written as the
 * number the document describes and leave anything else for the validators to refuse by name.
 */
const INTEGER_TEXT = /^-?\d{1,20}$/;
const NUMBER_TEXT = /^-?(\d{1,400}(\.\d{0,400})?|\.\d{1,400})([eE][+-]?\d{1,4})?$/;
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value);
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : value);

interface FieldOptions {
  /** The field's name, for the messages. */
  name: string;
  description: string;
  min: number;
  max?: number;
  /** Omitted is allowed. */
  optional?: boolean;
  /** null is allowed (and means the same as omitted). */
  nullable?: boolean;
  /** A query parameter: convert its text first. */
  query?: boolean;
  default?: number;
  example?: number;
}

function documented(options: FieldOptions, type: 'integer' | 'number', max: number) {
  const doc = {
    description: options.description,
    type,
    ...(type === 'integer' ? { format: 'int32' } : {}),
    minimum: options.min,
    maximum: max,
    ...(options.nullable ? { nullable: true } : {}),
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.example !== undefined ? { example: options.example } : {}),
  };
  return options.optional || options.nullable ? ApiPropertyOptional(doc) : ApiProperty(doc);
}

// IsOptional skips the other validators for undefined and null alike.
function presence(options: FieldOptions): PropertyDecorator[] {
  return options.optional || options.nullable ? [IsOptional()] : [];
}

/**
 * An integer field stored as int4 (at most 2147483647 unless `max` says less): documented as
 * `integer` with its bounds, and refused with 400 naming the field when out of them, before it
 * can reach PostgreSQL as an out-of-range value.
 */
export function IntField(options: FieldOptions): PropertyDecorator {
  const max = Math.min(options.max ?? INT32_MAX, INT32_MAX);
  const { name } = options;
  return applyDecorators(
    documented(options, 'integer', max),
    ...presence(options),
    ...(options.query ? [Transform(toInteger)] : []),
    IsInt({ message: `${name} must be an integer` }),
    Min(options.min, { message: `${name} must be at least ${options.min}` }),
    Max(max, { message: `${name} must be at most ${max}` }),
  );
}

/** A finite number within bounds, documented with them. */
export function NumberField(options: FieldOptions & { max: number }): PropertyDecorator {
  const { name } = options;
  return applyDecorators(
    documented(options, 'number', options.max),
    ...presence(options),
    ...(options.query ? [Transform(toNumber)] : []),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${name} must be a number` }),
    Min(options.min, { message: `${name} must be at least ${options.min}` }),
    Max(options.max, { message: `${name} must be at most ${options.max}` }),
  );
}
