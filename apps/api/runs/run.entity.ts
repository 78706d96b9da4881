import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The run index: one row per run, written by the API at start and by the workflow when it closes
 * (the `updateRunIndex` activity). Backs idempotent starts (unique open key per flow), event
 * delivery to a customer's open runs, and the join of run listings with Temporal visibility.
 */
@Entity({ name: 'runs' })
export class RunEntity {
  @PrimaryColumn('text', { name: 'run_id' })
  runId!: string;

  @Column('uuid', { name: 'flow_id' })
  flowId!: string;

  @Column('integer')
  version!: number;

  @Column('text', { name: 'customer_id', nullable: true })
  customerId!: string | null;

  @Column('text', { name: 'start_key', nullable: true })
  startKey!: string | null;

  @Column('text')
  status!: string;

  @Column('text', { nullable: true })
  outcome!: string | null;

  @Column('text', { name: 'current_node', nullable: true })
  currentNode!: string | null;

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Column('boolean', { default: false })
  test!: boolean;

  @Column('text', { nullable: true })
  trigger!: string | null;

  @Column('text', { name: 'started_by', nullable: true })
  startedBy!: string | null;

  /** Bot replies up to this instant were returned by the start call; the first chat turn skips them. */
  @Column('timestamptz', { name: 'replies_delivered_until', nullable: true })
  repliesDeliveredUntil!: Date | null;
}
