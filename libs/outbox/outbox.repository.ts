import type { Pool } from 'pg';
import type { NotifyInput } from '../../contracts/activities';

/**
 * The one module that writes the `outbox` table (and the reads that go with it): the `notify`
 * activity enqueues a notification and records its delivery, the outbox dispatch
 * (upkeep/outbox-dispatch) claims what waits and records its delivery, and the API's outbox routes
 * (apps/api/outbox) list and read rows. Plain SQL over a `pg` Pool, like libs/runs-index: the
 * worker and the upkeep jobs have no TypeORM, and the API passes the Pool behind its data source.
 */
export type OutboxDb = Pick<Pool, 'query'>;

export type OutboxChannel = NotifyInput['channel'];
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** An `outbox` row as notify and the outbox dispatch read it (OUTBOX_COLUMNS). */
export interface OutboxRow {
  id: string;
  status: OutboxStatus;
  reason: string | null;
  attempts: number;
  subject: string | null;
  body: string;
  purpose: string | null;
  recipient: string;
  run_id: string | null;
  flow_id: string | null;
  node_id: string | null;
}

const OUTBOX_COLUMNS = 'id::text AS id, status, reason, attempts, subject, body, purpose, recipient, run_id, flow_id, node_id';

/** A claimed row, ready to send: its idempotency key and channel besides OUTBOX_COLUMNS. */
export type ClaimedOutboxRow = OutboxRow & { idempotency_key: string; channel: OutboxChannel };

/** A row as the API lists it: every column, and its creation time as PostgreSQL text (the page cursor). */
export interface OutboxListRow extends OutboxRow {
  channel: OutboxChannel;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  created_key: string;
}

const LIST_COLUMNS = `id::text AS id, status, reason, channel, recipient, subject, body, purpose, attempts, run_id, flow_id, node_id,
  created_at, updated_at, sent_at, created_at::text AS created_key`;

/** What `enqueue` writes: one notification of one node visit (or of an alert). */
export interface NewOutboxRow {
  runId: string | null;
  flowId: string | null;
  nodeId: string | null;
  idempotencyKey: string;
  channel: OutboxChannel;
  recipient: string;
  subject: string | null;
  body: string;
  purpose: string | null;
  /** Why it waits (no provider for its channel), or null. */
  reason: string | null;
}

export class OutboxRepository {
  constructor(private readonly db: OutboxDb) {}

  /** Writes the notification once per idempotency key (`pending`); a retry gets the row the first try wrote. */
  async enqueue(n: NewOutboxRow): Promise<OutboxRow> {
    const inserted = await this.db.query<OutboxRow>(
      `INSERT INTO outbox (run_id, flow_id, node_id, idempotency_key, channel, recipient, subject, body, purpose, status, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${OUTBOX_COLUMNS}`,
      [n.runId, n.flowId, n.nodeId, n.idempotencyKey, n.channel, n.recipient, n.subject, n.body, n.purpose, n.reason],
    );
    if (inserted.rows[0]) return inserted.rows[0];
    const existing = await this.db.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE idempotency_key = $1`, [n.idempotencyKey]);
    if (!existing.rows[0]) throw new Error('outbox idempotency conflict but no row found; retrying');
    return existing.rows[0];
  }

  /** Back to `pending` with its reason (no provider now), unless it was sent. */
  async markPending(id: string, reason: string | null): Promise<void> {
    await this.db.query(`UPDATE outbox SET status = 'pending', reason = $2 WHERE id = $1 AND status <> 'sent'`, [id, reason]);
  }

  /** Counts a delivery attempt before it is made; the new count (undefined: no such row). */
  async countAttempt(id: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ attempts: number }>(`UPDATE outbox SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, [id]);
    return rows[0]?.attempts;
  }

  /** A failed delivery, with the provider's reason; a row already sent stays sent. */
  async markFailed(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET status = 'failed', reason = $2 WHERE id = $1 AND status <> 'sent'`, [id, reason]);
  }

  async markSent(id: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET status = 'sent', reason = NULL, sent_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Claims the oldest `pending` rows of these channels (at most `limit`) by counting an attempt,
   * which touches `updated_at`; rows touched in the last minute are left alone, so two passes, or
   * a pass and a node's own retry, do not send one row at once.
   */
  async claimPending(channels: readonly OutboxChannel[], limit: number): Promise<ClaimedOutboxRow[]> {
    const { rows } = await this.db.query<ClaimedOutboxRow>(
      `UPDATE outbox SET attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox
         WHERE status = 'pending' AND channel = ANY($1::text[]) AND updated_at < now() - interval '1 minute'
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${OUTBOX_COLUMNS}, idempotency_key, channel`,
      [channels, limit],
    );
    return rows;
  }

  /** Claims these rows (an operator's resend), `pending` or `failed`, of these channels; never a sent one. */
  async claimByIds(ids: string[], channels: readonly OutboxChannel[]): Promise<ClaimedOutboxRow[]> {
    const { rows } = await this.db.query<ClaimedOutboxRow>(
      `UPDATE outbox SET attempts = attempts + 1
       WHERE id = ANY($1::uuid[]) AND status <> 'sent' AND channel = ANY($2::text[])
       RETURNING ${OUTBOX_COLUMNS}, idempotency_key, channel`,
      [ids, channels],
    );
    return rows;
  }

  /** A row's status and channel, or undefined. */
  async statusOf(id: string): Promise<{ status: OutboxStatus; channel: OutboxChannel } | undefined> {
    const { rows } = await this.db.query<{ status: OutboxStatus; channel: OutboxChannel }>(`SELECT status, channel FROM outbox WHERE id = $1::uuid`, [id]);
    return rows[0];
  }

  /** A page of rows, newest first, after the cursor; `flowIds` null: every flow. */
  async list(filter: {
    status: string | null;
    channel: string | null;
    runId: string | null;
    flowIds: string[] | null;
    before: [createdAt: string, id: string] | null;
    limit: number;
  }): Promise<OutboxListRow[]> {
    const { rows } = await this.db.query<OutboxListRow>(
      `SELECT ${LIST_COLUMNS} FROM outbox
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::text IS NULL OR channel = $2)
          AND ($3::text IS NULL OR run_id = $3)
          AND ($4::text[] IS NULL OR flow_id = ANY($4::text[]))
          AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $7`,
      [filter.status, filter.channel, filter.runId, filter.flowIds, filter.before?.[0] ?? null, filter.before?.[1] ?? null, filter.limit],
    );
    return rows;
  }

  /** One row, if it belongs to one of `flowIds` (null: any flow). */
  async get(id: string, flowIds: string[] | null): Promise<OutboxListRow | undefined> {
    const { rows } = await this.db.query<OutboxListRow>(
      `SELECT ${LIST_COLUMNS} FROM outbox WHERE id = $1 AND ($2::text[] IS NULL OR flow_id = ANY($2::text[]))`,
      [id, flowIds],
    );
    return rows[0];
  }
}
