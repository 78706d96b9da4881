import type { Actor } from '../auth/actor';
import type { AuditService } from './audit.service';
import type { AuditAction } from './dto';

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
