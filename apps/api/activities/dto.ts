import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class LocaleQueryDto {
  /** Language of titles and messages; default from Accept-Language, else es */
  @ApiPropertyOptional({ enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'], { message: 'locale must be es or en' })
  locale?: 'es' | 'en';
}

export class PaletteEntryDto {
  /** Node type, e.g. ask, ai.classify or activity:<name> */
  @ApiProperty({ example: 'ask' })
  type!: string;

  /** Title in the requested language */
  title!: string;

  /** What the node does, in the requested language */
  description!: string;

  /** Palette group */
  @ApiProperty({ enum: ['trigger', 'conversation', 'logic', 'timing', 'ai', 'crm', 'notify', 'integration', 'experiment', 'end', 'custom'] })
  category!: string;

  /** JSON Schema (2020-12) of the node’s data */
  @ApiProperty({ type: 'object', additionalProperties: true })
  dataSchema!: Record<string, unknown>;

  /** Branches (edge sourceHandles) of the node with its default data */
  branches!: string[];

  /** Whether the node can suspend the run (waits for a reply, an event or time) */
  waits!: boolean;

  /** Data a new node of this type starts with */
  @ApiProperty({ type: 'object', additionalProperties: true })
  defaultData!: Record<string, unknown>;

  /** What the node writes to nodes.<id>.output */
  outputDescription?: string;

  /** JSON Schema of a custom activity’s output */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  outputSchema?: Record<string, unknown>;
}

export class PaletteDto {
  /** Language of the texts */
  @ApiProperty({ enum: ['es', 'en'] })
  locale!: 'es' | 'en';

  /** Every built-in node type and registered custom activity */
  items!: PaletteEntryDto[];
}
