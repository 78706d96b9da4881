import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { EntityManager, Repository } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditAction, AuditEntryDto, AuditPageDto, AuditQueryDto, AuditTargetType } from './dto';

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntryEntity) private readonly repo: Repository<AuditEntryEntity>) {}

  /** Records a change; pass the transaction's manager so the entry commits (or not) with it. */
  async record(
    actor: Actor,
    action: AuditAction,
    target: { type: AuditTargetType; id: string | null },
    details: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntryEntity) : this.repo;
    await repo.insert({
      actorId: actor.id,
      actorName: actor.name,
      actorRole: actor.role,
      action,
      targetType: target.type,
      targetId: target.id,
      details: details as never,
    });
  }

  /**
   * The same on a `pg` client inside its transaction, for services that work on the `pg` pool rather
   * than TypeORM (alerts): the entry commits (or not) with the change it records.
   */
  async recordWith(
    client: Pick<PoolClient, 'query'>,
    actor: Actor,
    action: AuditAction,
    target: { type: AuditTargetType; id: string | null },
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await client.query(
      `INSERT INTO audit_log (actor_id, actor_name, actor_role, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [actor.id, actor.name, actor.role, action, target.type, target.id, JSON.stringify(details)],
    );
  }

  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? 50;
    const qb = this.repo
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.targetId) qb.andWhere('a.target_id = :targetId', { targetId: query.targetId });
    if (query.cursor) qb.andWhere('a.id < :cursor', { cursor: query.cursor });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}

function toDto(e: AuditEntryEntity): AuditEntryDto {
  return {
    id: String(e.id),
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
