import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class LocaleQueryDto {
  @ApiPropertyOptional({ description: 'Language of titles and messages; default from Accept-Language, else es', enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'], { message: 'locale must be es or en' })
  locale?: 'es' | 'en';
}

export class PaletteEntryDto {
  @ApiProperty({ description: 'Node type, e.g. ask, ai.classify or activity:<name>', example: 'ask' })
  type!: string;

  @ApiProperty({ description: 'Title in the requested language' })
  title!: string;

  @ApiProperty({ description: 'What the node does, in the requested language' })
  description!: string;

  @ApiProperty({ description: 'Palette group', enum: ['trigger', 'conversation', 'logic', 'timing', 'ai', 'crm', 'notify', 'integration', 'experiment', 'end', 'custom'] })
  category!: string;

  @ApiProperty({ description: 'JSON Schema (2020-12) of the node’s data', type: 'object', additionalProperties: true })
  dataSchema!: Record<string, unknown>;

  @ApiProperty({ description: 'Branches (edge sourceHandles) of the node with its default data', type: [String] })
  branches!: string[];

  @ApiProperty({ description: 'Whether the node can suspend the run (waits for a reply, an event or time)' })
  waits!: boolean;

  @ApiProperty({ description: 'Data a new node of this type starts with', type: 'object', additionalProperties: true })
  defaultData!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'What the node writes to nodes.<id>.output' })
  outputDescription?: string;

  @ApiPropertyOptional({ description: 'JSON Schema of a custom activity’s output', type: 'object', additionalProperties: true })
  outputSchema?: Record<string, unknown>;
}

export class PaletteDto {
  @ApiProperty({ description: 'Language of the texts', enum: ['es', 'en'] })
  locale!: 'es' | 'en';

  @ApiProperty({ description: 'Every built-in node type and registered custom activity', type: [PaletteEntryDto] })
  items!: PaletteEntryDto[];
}
