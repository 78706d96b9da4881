import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change made through the API: a flow edit or publish, a key created or revoked. */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;

  @Column('text', { name: 'actor_id' })
  actorId!: string;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('text', { name: 'actor_role' })
  actorRole!: string;

  @Column('text')
  action!: string;

  @Column('text', { name: 'target_type' })
  targetType!: string;

  @Column('text', { name: 'target_id', nullable: true })
  targetId!: string | null;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  details!: Record<string, unknown>;
}
