import { IntField } from './number-fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The `limit` and `cursor` query parameters every cursor-paged list shares. A list's query DTO
 * extends `CursorPageQuery(maxLimit)` and adds its own filters.
 */
export function CursorPageQuery(maxLimit: number) {
  class CursorPageQueryDto {
    @IntField({ name: 'limit', description: `Page size (1-${maxLimit})`, min: 1, max: maxLimit, optional: true, query: true, default: 50 })
    limit?: number;

    @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
    @IsOptional()
    @IsString({ message: 'cursor must be a string' })
    @MaxLength(500, { message: 'cursor must be at most 500 characters' })
    // Cursors are base64url (common/cursor.ts): anything else cannot be one.
    @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
    cursor?: string;
  }
  return CursorPageQueryDto;
}
