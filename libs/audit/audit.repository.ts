import type { Pool } from 'pg';

/**
 * The one module that writes the `audit_log` table (and reads it for `GET /api/audit`). Every
 * audited API change appends one entry through the API's AuditService, in the transaction of the
 * change it records when there is one (pass that transaction's client), so an entry never
 * outlives a rolled-back change. Plain SQL over a `pg` Pool or client, like libs/runs-index.
 */
export type AuditDb = Pick<Pool, 'query'>;

/** What an entry says: who did what to which target, and the details of the change. */
export interface AuditEntryFields {
  actorId: string;
  actorName: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

/** An entry as read back: `id` is a bigint, kept as text (it can outgrow a JS number). */
export interface AuditEntryRow extends AuditEntryFields {
  id: string;
  at: Date;
}

const COLUMNS = `id::text AS id, at, actor_id AS "actorId", actor_name AS "actorName", actor_role AS "actorRole", action,
                 target_type AS "targetType", target_id AS "targetId", details`;

export class AuditRepository {
  constructor(private readonly db: AuditDb) {}

  async append(entry: AuditEntryFields): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (actor_id, actor_name, actor_role, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [entry.actorId, entry.actorName, entry.actorRole, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details)],
    );
  }

  /**
   * Entries newest first (by id), with ids below `beforeId` when given. The order names the table's
   * column: a bare `id` would be the text output column, and 10000 would sort before 9999.
   */
  async page(filter: { action: string | null; targetId: string | null; beforeId: string | null; limit: number }): Promise<AuditEntryRow[]> {
    const { rows } = await this.db.query<AuditEntryRow>(
      `SELECT ${COLUMNS} FROM audit_log
        WHERE ($1::text IS NULL OR action = $1)
          AND ($2::text IS NULL OR target_id = $2)
          AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY audit_log.id DESC
        LIMIT $4`,
      [filter.action, filter.targetId, filter.beforeId, filter.limit],
    );
    return rows;
  }
}
