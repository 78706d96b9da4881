import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FlowDefinition } from '../../../workflows/language';

export type FlowStatus = 'draft' | 'published' | 'archived';

/** A flow: its editable draft, and the number of its latest published version. */
@Entity({ name: 'flows' })
export class FlowEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('text', { default: 'draft' })
  status!: FlowStatus;

  @Column('jsonb')
  draft!: FlowDefinition;

  @Column('integer', { name: 'latest_version', nullable: true })
  latestVersion!: number | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
