import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { AuditAction } from '../audit/dto';
import type { Actor } from '../auth/actor';

/**
 * The `pg` pool behind the API's TypeORM data source. The activity-side modules the API exposes
 * (Markdown import, the secret store) take a `pg` Pool; sharing TypeORM's keeps one pool per process,
 * and plain `pool.query` gives `rows` for every statement kind (TypeORM's `query` does not for UPDATE).
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the PostgreSQL data source is not initialised');
  return pool;
}

/**
 * Records a change in the audit log. The audit module's action list (for its `?action=` filter) and
 * target kinds predate these routes, hence the widening here: knowledge.*, secret.*, customer.*.
 */
export function recordChange(
  audit: AuditService,
  actor: Actor,
  action: `${'knowledge' | 'secret' | 'customer'}.${string}`,
  target: { type: 'knowledge_article' | 'knowledge_collection' | 'secret' | 'customer'; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  return audit.record(actor, action as AuditAction, target as unknown as { type: 'flow'; id: string | null }, details);
}
