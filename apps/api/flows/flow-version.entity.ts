import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FlowDefinition } from '../../../workflows/language';

/** An immutable published version: runs pin one at start. */
@Entity({ name: 'flow_versions' })
export class FlowVersionEntity {
  @PrimaryColumn('uuid', { name: 'flow_id' })
  flowId!: string;

  @PrimaryColumn('integer')
  version!: number;

  @Column('jsonb')
  definition!: FlowDefinition;

  @Column('timestamptz', { name: 'published_at', default: () => 'now()' })
  publishedAt!: Date;

  @Column('text', { name: 'published_by', nullable: true })
  publishedBy!: string | null;
}
