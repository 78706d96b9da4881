import { CursorPageQuery } from '../common/paging.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { FlowDefinition } from '../../../workflows/language';
import { IsFlowDefinition, MAX_EDGES, MAX_NODES } from './definition.validator';

// ---- the flow format, for the OpenAPI document ------------------------------------------------
// A draft may be half-drawn, so every field below is optional here and extra editor properties are
// kept; a field that is present must have its type (definition.validator.ts). Completeness is what
// validate and publish check, with every problem named.
export class FlowNodeDto {
  @ApiPropertyOptional({ description: 'Node id, unique in the flow', example: 'ask' })
  id?: string;

  @ApiPropertyOptional({ description: 'Node type (see GET /api/activities)', example: 'ask' })
  type?: string;

  @ApiPropertyOptional({ description: 'Editor position; ignored at run time', type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } })
  position?: { x: number; y: number };

  @ApiPropertyOptional({ description: 'Typed node data; its JSON Schema is in the palette', type: 'object', additionalProperties: true })
  data?: Record<string, unknown>;
}

export class FlowEdgeDto {
  @ApiPropertyOptional({ description: 'Edge id, unique in the flow' })
  id?: string;

  @ApiPropertyOptional({ description: 'Source node id' })
  source?: string;

  @ApiPropertyOptional({ description: 'Target node id' })
  target?: string;

  @ApiPropertyOptional({ description: 'The branch of the source node the edge leaves from', example: 'next', type: String, nullable: true })
  sourceHandle?: string | null;

  @ApiPropertyOptional({ description: 'Editor target handle; ignored', type: String, nullable: true })
  targetHandle?: string | null;
}

/** Any JSON value: Nest would otherwise document an `unknown` property as an object. */
const ANY_JSON = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', additionalProperties: true }, { type: 'array', items: {} }];

export class FlowVariableDto {
  @ApiPropertyOptional({ description: 'Variable name, readable as vars.<name>' })
  name?: string;

  @ApiPropertyOptional({ description: 'Type: string, number, boolean, object or array (validate and publish refuse any other)', example: 'string' })
  type?: string;

  @ApiPropertyOptional({ description: 'Initial value (any JSON value)', nullable: true, oneOf: ANY_JSON })
  default?: unknown;

  @ApiPropertyOptional({ description: 'What it holds' })
  description?: string;
}

export class FlowDefinitionDto {
  @ApiProperty({ description: `Nodes (React Flow nodes; extra editor properties are kept), at most ${MAX_NODES}`, type: [FlowNodeDto], maxItems: MAX_NODES })
  nodes!: FlowNodeDto[];

  @ApiProperty({ description: `Edges, each leaving a named branch (sourceHandle), at most ${MAX_EDGES}`, type: [FlowEdgeDto], maxItems: MAX_EDGES })
  edges!: FlowEdgeDto[];

  @ApiPropertyOptional({ description: 'Flow-level variables', type: [FlowVariableDto] })
  variables?: FlowVariableDto[];
}

// ---- requests ---------------------------------------------------------------------------------
export class CreateFlowDto {
  @ApiProperty({ description: 'Flow name', example: 'Soporte: triaje', minLength: 1, maxLength: 200 })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiPropertyOptional({ description: 'What the flow is for', maxLength: 2000, default: '' })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  @ApiPropertyOptional({ description: 'The draft; default: a single api start node. Saved even if invalid (validate or publish to check it).', type: FlowDefinitionDto })
  @IsOptional()
  @IsFlowDefinition()
  definition?: FlowDefinition;
}

export class UpdateFlowDto {
  @ApiProperty({ description: 'Flow name', minLength: 1, maxLength: 200 })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  @ApiPropertyOptional({ description: 'What the flow is for; unchanged when omitted', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  @ApiProperty({ description: 'The new draft, replacing the old one', type: FlowDefinitionDto })
  @IsFlowDefinition()
  definition!: FlowDefinition;
}

export class ValidateFlowDto {
  @ApiPropertyOptional({ description: 'A definition to check instead of the saved draft (the editor’s unsaved canvas)', type: FlowDefinitionDto })
  @IsOptional()
  @IsFlowDefinition()
  definition?: FlowDefinition;
}

export class DuplicateFlowDto {
  @ApiPropertyOptional({ description: 'Name of the copy; default "<name> (copia)"', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;
}

export const FLOW_STATUSES = ['draft', 'published', 'archived'] as const;

export class ListFlowsQueryDto extends CursorPageQuery(100) {
  @ApiPropertyOptional({ description: 'Only flows with this status', enum: FLOW_STATUSES })
  @IsOptional()
  @IsIn(FLOW_STATUSES, { message: `status must be one of ${FLOW_STATUSES.join(', ')}` })
  status?: (typeof FLOW_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only flows whose name contains this text (case-insensitive)', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

}

// ---- responses --------------------------------------------------------------------------------
export class FlowSummaryDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Flow name' })
  name!: string;

  @ApiProperty({ description: 'Description' })
  description!: string;

  @ApiProperty({ description: 'draft (never published), published, archived', enum: FLOW_STATUSES })
  status!: string;

  @ApiProperty({ description: 'Latest published version; null before the first publish', type: Number, nullable: true })
  latestVersion!: number | null;

  @ApiProperty({ description: 'Trigger of the draft’s start node (api, event, schedule, message), if any', type: String, nullable: true })
  trigger!: string | null;

  @ApiProperty({ description: 'Created at', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Last edit of the draft', format: 'date-time' })
  updatedAt!: string;
}

export class FlowDto extends FlowSummaryDto {
  @ApiProperty({ description: 'The draft being edited', type: FlowDefinitionDto })
  draft!: FlowDefinition;

  @ApiProperty({ description: 'Whether the draft differs from the latest published version (true before the first publish)' })
  draftChanged!: boolean;
}

export class FlowPageDto {
  @ApiProperty({ description: 'Flows, newest first', type: [FlowSummaryDto] })
  items!: FlowSummaryDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last page', type: String, nullable: true })
  nextCursor!: string | null;
}

export class LocalizedTextDto {
  @ApiProperty({ description: 'Spanish' })
  es!: string;

  @ApiProperty({ description: 'English' })
  en!: string;
}

export class FlowProblemDto {
  @ApiProperty({ description: 'Stable machine code', example: 'flow.no_start' })
  code!: string;

  @ApiProperty({ description: 'error (blocks publishing) or warning', enum: ['error', 'warning'] })
  severity!: string;

  @ApiProperty({ description: 'The message in the requested language' })
  message!: string;

  @ApiProperty({ description: 'The message in both languages', type: LocalizedTextDto })
  messages!: LocalizedTextDto;

  @ApiPropertyOptional({ description: 'Node concerned' })
  nodeId?: string;

  @ApiPropertyOptional({ description: 'Edge concerned' })
  edgeId?: string;

  @ApiPropertyOptional({ description: 'Data path inside the node, e.g. tiers.0.sla' })
  field?: string;

  @ApiPropertyOptional({ description: 'Branch (sourceHandle) concerned' })
  branch?: string;

  @ApiPropertyOptional({ description: 'Every node involved (cycles)', type: [String] })
  nodeIds?: string[];
}

export class ValidationResultDto {
  @ApiProperty({ description: 'True when there is no error (warnings do not block publishing)' })
  valid!: boolean;

  @ApiProperty({ description: 'Every error', type: [FlowProblemDto] })
  errors!: FlowProblemDto[];

  @ApiProperty({ description: 'Every warning', type: [FlowProblemDto] })
  warnings!: FlowProblemDto[];
}

export class ScheduleInfoDto {
  @ApiProperty({ description: 'Temporal Schedule id', example: 'cauce-flow-<flowId>' })
  scheduleId!: string;

  @ApiProperty({ description: '5-field cron expression (UTC)', example: '0 9 * * 1' })
  cron!: string;

  @ApiProperty({ description: 'Version the schedule starts' })
  version!: number;
}

export class PublishResultDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({ description: 'The new version number' })
  version!: number;

  @ApiProperty({ description: 'Published at', format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({ description: 'Key that published it', type: String, nullable: true })
  publishedBy!: string | null;

  @ApiProperty({ description: 'Warnings of the validator (they do not block publishing)', type: [FlowProblemDto] })
  warnings!: FlowProblemDto[];

  @ApiProperty({ description: 'The Temporal Schedule of a schedule-triggered flow; null otherwise', type: ScheduleInfoDto, nullable: true })
  schedule!: ScheduleInfoDto | null;
}

export class FlowVersionSummaryDto {
  @ApiProperty({ description: 'Version number' })
  version!: number;

  @ApiProperty({ description: 'Published at', format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({ description: 'Key that published it', type: String, nullable: true })
  publishedBy!: string | null;

  @ApiProperty({ description: 'Number of nodes' })
  nodeCount!: number;
}

export class FlowVersionListDto {
  @ApiProperty({ description: 'Versions, newest first', type: [FlowVersionSummaryDto] })
  items!: FlowVersionSummaryDto[];
}

export class FlowVersionDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({ description: 'Version number' })
  version!: number;

  @ApiProperty({ description: 'The immutable definition', type: FlowDefinitionDto })
  definition!: FlowDefinition;

  @ApiProperty({ description: 'Published at', format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({ description: 'Key that published it', type: String, nullable: true })
  publishedBy!: string | null;
}

export class ChangedItemDto {
  @ApiProperty({ description: 'Node id, edge id or variable name' })
  id!: string;

  @ApiProperty({ description: 'What differs: type, data fields (data.<field>), source, target, sourceHandle, ...', type: [String] })
  fields!: string[];
}

export class DiffSectionDto {
  @ApiProperty({ description: 'Ids only in the newer side', type: [String] })
  added!: string[];

  @ApiProperty({ description: 'Ids only in the older side', type: [String] })
  removed!: string[];

  @ApiProperty({ description: 'Ids in both whose content differs', type: [ChangedItemDto] })
  changed!: ChangedItemDto[];
}

export class NodeDiffSectionDto extends DiffSectionDto {
  @ApiProperty({ description: 'Nodes whose only change is their editor position', type: [String] })
  moved!: string[];
}

export class FlowDiffDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({ description: 'The older side: a version number, or "draft"', oneOf: [{ type: 'integer' }, { type: 'string', enum: ['draft'] }] })
  from!: number | 'draft';

  @ApiProperty({ description: 'The newer side: a version number, or "draft"', oneOf: [{ type: 'integer' }, { type: 'string', enum: ['draft'] }] })
  to!: number | 'draft';

  @ApiProperty({ description: 'Whether the two sides run the same (positions aside)' })
  identical!: boolean;

  @ApiProperty({ description: 'Nodes, by id', type: NodeDiffSectionDto })
  nodes!: NodeDiffSectionDto;

  @ApiProperty({ description: 'Edges, by id', type: DiffSectionDto })
  edges!: DiffSectionDto;

  @ApiProperty({ description: 'Flow variables, by name', type: DiffSectionDto })
  variables!: DiffSectionDto;
}
