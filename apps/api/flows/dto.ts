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
  /** Node id, unique in the flow */
  @ApiPropertyOptional({ example: 'ask' })
  id?: string;

  /** Node type (see GET /api/activities) */
  @ApiPropertyOptional({ example: 'ask' })
  type?: string;

  /** Editor position; ignored at run time */
  @ApiPropertyOptional({ type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } })
  position?: { x: number; y: number };

  /** Typed node data; its JSON Schema is in the palette */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  data?: Record<string, unknown>;
}

export class FlowEdgeDto {
  /** Edge id, unique in the flow */
  id?: string;

  /** Source node id */
  source?: string;

  /** Target node id */
  target?: string;

  /** The branch of the source node the edge leaves from */
  @ApiPropertyOptional({ example: 'next', type: String })
  sourceHandle?: string | null;

  /** Editor target handle; ignored */
  targetHandle?: string | null;
}

/** Any JSON value: Nest would otherwise document an `unknown` property as an object. */
const ANY_JSON = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', additionalProperties: true }, { type: 'array', items: {} }];

export class FlowVariableDto {
  /** Variable name, readable as vars.<name> */
  name?: string;

  /** Type: string, number, boolean, object or array (validate and publish refuse any other) */
  @ApiPropertyOptional({ example: 'string' })
  type?: string;

  /** Initial value (any JSON value) */
  @ApiPropertyOptional({ nullable: true, oneOf: ANY_JSON })
  default?: unknown;

  /** What it holds */
  description?: string;
}

export class FlowDefinitionDto {
  @ApiProperty({ description: `Nodes (React Flow nodes; extra editor properties are kept), at most ${MAX_NODES}`, type: [FlowNodeDto], maxItems: MAX_NODES })
  nodes!: FlowNodeDto[];

  @ApiProperty({ description: `Edges, each leaving a named branch (sourceHandle), at most ${MAX_EDGES}`, type: [FlowEdgeDto], maxItems: MAX_EDGES })
  edges!: FlowEdgeDto[];

  /** Flow-level variables */
  variables?: FlowVariableDto[];
}

// ---- requests ---------------------------------------------------------------------------------
export class CreateFlowDto {
  /** Flow name */
  @ApiProperty({ example: 'Soporte: triaje' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  /** What the flow is for */
  @ApiPropertyOptional({ default: '' })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  /** The draft; default: a single api start node. Saved even if invalid (validate or publish to check it). */
  @ApiPropertyOptional({ type: FlowDefinitionDto })
  @IsOptional()
  @IsFlowDefinition()
  definition?: FlowDefinition;
}

export class UpdateFlowDto {
  /** Flow name */
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name!: string;

  /** What the flow is for; unchanged when omitted */
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;

  /** The new draft, replacing the old one */
  @ApiProperty({ type: FlowDefinitionDto })
  @IsFlowDefinition()
  definition!: FlowDefinition;
}

export class ValidateFlowDto {
  /** A definition to check instead of the saved draft (the editor’s unsaved canvas) */
  @ApiPropertyOptional({ type: FlowDefinitionDto })
  @IsOptional()
  @IsFlowDefinition()
  definition?: FlowDefinition;
}

export class DuplicateFlowDto {
  /** Name of the copy; default "<name> (copia)" */
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;
}

export const FLOW_STATUSES = ['draft', 'published', 'archived'] as const;

export class ListFlowsQueryDto extends CursorPageQuery(100) {
  /** Only flows with this status */
  @ApiPropertyOptional({ enum: FLOW_STATUSES })
  @IsOptional()
  @IsIn(FLOW_STATUSES, { message: `status must be one of ${FLOW_STATUSES.join(', ')}` })
  status?: (typeof FLOW_STATUSES)[number];

  /** Only flows whose name contains this text (case-insensitive) */
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;
}

// ---- responses --------------------------------------------------------------------------------
export class FlowSummaryDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  /** Flow name */
  name!: string;

  /** Description */
  description!: string;

  /** draft (never published), published, archived */
  @ApiProperty({ enum: FLOW_STATUSES })
  status!: string;

  /** Latest published version; null before the first publish */
  latestVersion!: number | null;

  /** Trigger of the draft’s start node (api, event, schedule, message), if any */
  trigger!: string | null;

  /** Created at */
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  /** Last edit of the draft */
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class FlowDto extends FlowSummaryDto {
  /** The draft being edited */
  @ApiProperty({ type: FlowDefinitionDto })
  draft!: FlowDefinition;

  /** Whether the draft differs from the latest published version (true before the first publish) */
  draftChanged!: boolean;
}

export class FlowPageDto {
  /** Flows, newest first */
  items!: FlowSummaryDto[];

  /** Cursor of the next page; null on the last page */
  nextCursor!: string | null;
}

export class LocalizedTextDto {
  /** Spanish */
  es!: string;

  /** English */
  en!: string;
}

export class FlowProblemDto {
  /** Stable machine code */
  @ApiProperty({ example: 'flow.no_start' })
  code!: string;

  /** error (blocks publishing) or warning */
  @ApiProperty({ enum: ['error', 'warning'] })
  severity!: string;

  /** The message in the requested language */
  message!: string;

  /** The message in both languages */
  messages!: LocalizedTextDto;

  /** Node concerned */
  nodeId?: string;

  /** Edge concerned */
  edgeId?: string;

  /** Data path inside the node, e.g. tiers.0.sla */
  field?: string;

  /** Branch (sourceHandle) concerned */
  branch?: string;

  /** Every node involved (cycles) */
  nodeIds?: string[];
}

export class ValidationResultDto {
  /** True when there is no error (warnings do not block publishing) */
  valid!: boolean;

  /** Every error */
  errors!: FlowProblemDto[];

  /** Every warning */
  warnings!: FlowProblemDto[];
}

export class ScheduleInfoDto {
  /** Temporal Schedule id */
  @ApiProperty({ example: 'cauce-flow-<flowId>' })
  scheduleId!: string;

  /** 5-field cron expression (UTC) */
  @ApiProperty({ example: '0 9 * * 1' })
  cron!: string;

  /** Version the schedule starts */
  version!: number;
}

export class PublishResultDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** The new version number */
  version!: number;

  /** Published at */
  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  /** Key that published it */
  publishedBy!: string | null;

  /** Warnings of the validator (they do not block publishing) */
  warnings!: FlowProblemDto[];

  /** The Temporal Schedule of a schedule-triggered flow; null otherwise */
  schedule!: ScheduleInfoDto | null;
}

export class FlowVersionSummaryDto {
  /** Version number */
  version!: number;

  /** Published at */
  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  /** Key that published it */
  publishedBy!: string | null;

  /** Number of nodes */
  nodeCount!: number;
}

export class FlowVersionListDto {
  /** Versions, newest first */
  items!: FlowVersionSummaryDto[];
}

export class FlowVersionDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** Version number */
  version!: number;

  /** The immutable definition */
  @ApiProperty({ type: FlowDefinitionDto })
  definition!: FlowDefinition;

  /** Published at */
  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  /** Key that published it */
  publishedBy!: string | null;
}

export class ChangedItemDto {
  /** Node id, edge id or variable name */
  id!: string;

  /** What differs: type, data fields (data.<field>), source, target, sourceHandle, ... */
  fields!: string[];
}

export class DiffSectionDto {
  /** Ids only in the newer side */
  added!: string[];

  /** Ids only in the older side */
  removed!: string[];

  /** Ids in both whose content differs */
  changed!: ChangedItemDto[];
}

export class NodeDiffSectionDto extends DiffSectionDto {
  /** Nodes whose only change is their editor position */
  moved!: string[];
}

export class FlowDiffDto {
  /** Flow id */
  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  /** The older side: a version number, or "draft" */
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['draft'] }] })
  from!: number | 'draft';

  /** The newer side: a version number, or "draft" */
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['draft'] }] })
  to!: number | 'draft';

  /** Whether the two sides run the same (positions aside) */
  identical!: boolean;

  /** Nodes, by id */
  nodes!: NodeDiffSectionDto;

  /** Edges, by id */
  edges!: DiffSectionDto;

  /** Flow variables, by name */
  variables!: DiffSectionDto;
}
