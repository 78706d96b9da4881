// The run events a run recorded, read page by page: `GET /runs/:runId/events` (not the business events sent by POST).
import { ApiProperty } from '@nestjs/swagger';
import { IntField } from '../../common/number-fields';

export class RunEventsQueryDto {
  @IntField({
    name: 'afterSeq',
    description: 'Only events after this sequence number (the nextAfterSeq of the previous page)',
    min: 0,
    optional: true,
    query: true,
    default: 0,
  })
  afterSeq?: number;

  @IntField({ name: 'limit', description: 'Page size (1-1000)', min: 1, max: 1000, optional: true, query: true, default: 200 })
  limit?: number;
}

export class RunEventDto {
  /** Sequence number in the run */
  seq!: number;

  /** Event type: run.started, node.entered, message.in, escalation.accepted, goal, ... */
  type!: string;

  /** Node concerned */
  nodeId!: string | null;

  /** Event data */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;

  /** When (workflow time) */
  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;
}

export class RunEventPageDto {
  /** Events in order. The workflow writes them in batches, so the latest may appear a little later. */
  items!: RunEventDto[];

  /** afterSeq of the next page; null when this page is the last so far */
  nextAfterSeq!: number | null;
}
