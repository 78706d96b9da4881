import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The `limit` and `cursor` query parameters every cursor-paged list shares. A list's query DTO
 * extends `CursorPageQuery(maxLimit)` and adds its own filters.
 */
export function CursorPageQuery(maxLimit: number) {
  class CursorPageQueryDto {
    @ApiPropertyOptional({ description: `Page size (1-${maxLimit})`, default: 50, minimum: 1, maximum: maxLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: 'limit must be an integer' })
    @Min(1, { message: 'limit must be at least 1' })
    @Max(maxLimit, { message: `limit must be at most ${maxLimit}` })
    limit?: number;

    @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
    @IsOptional()
    @IsString({ message: 'cursor must be a string' })
    @MaxLength(500, { message: 'cursor must be at most 500 characters' })
    cursor?: string;
  }
  return CursorPageQueryDto;
}
