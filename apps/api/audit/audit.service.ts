import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { AuditEntryRow, AuditRepository } from '../../../libs/audit/audit.repository';
import type { Actor } from '../auth/actor';
import { PG_POOL } from '../database/pg-pool';
import { AuditAction, AuditEntryDto, AuditPageDto, AuditQueryDto, AuditTargetType } from './dto';

/** A transaction's client (libs/db/transaction.ts `inTransaction`), or anything that runs its queries. */
type AuditClient = Pick<PoolClient, 'query'>;

@Injectable()
export class AuditService {
  private readonly entries: AuditRepository;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.entries = new AuditRepository(pool);
  }

  /** Records a change; pass the transaction's client so the entry commits (or not) with it. */
  async record(
    actor: Actor,
    action: AuditAction,
    target: { type: AuditTargetType; id: string | null },
    details: Record<string, unknown> = {},
    client?: AuditClient,
  ): Promise<void> {
    const entries = client ? new AuditRepository(client) : this.entries;
    await entries.append({ actorId: actor.id, actorName: actor.name, actorRole: actor.role, action, targetType: target.type, targetId: target.id, details });
  }

  /** The same with the client first (the alert routes' style): the entry commits (or not) with the change it records. */
  recordWith(
    client: AuditClient,
    actor: Actor,
    action: AuditAction,
    target: { type: AuditTargetType; id: string | null },
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.record(actor, action, target, details, client);
  }

  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.entries.page({ action: query.action ?? null, targetId: query.targetId ?? null, beforeId: query.cursor ?? null, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}

function toDto(e: AuditEntryRow): AuditEntryDto {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    actorRole: e.actorRole,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    details: e.details,
  };
}
