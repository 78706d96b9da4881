import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { CauceConfig } from '../../../libs/config/config';
import { AuditService } from '../audit/audit.service';
import { CAUCE_CONFIG } from '../config.module';
import type { Actor } from './actor';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto';
import { defaultRateLimit } from './rate-limiter';

export const ADMIN_ACTOR_ID = 'admin';
/** A positive lookup is cached this long; a key revoked on another API instance stops working within it. */
const CACHE_TTL_MS = 5_000;
const NEGATIVE_CACHE_TTL_MS = 2_000;
const LAST_USED_EVERY_MS = 60_000;

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A new key: `cauce_` and 32 random bytes (base64url); its sha256 is what the database keeps. */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `cauce_${randomBytes(32).toString('base64url')}`;
  return { key, hash: sha256(key), prefix: key.slice(0, 12) };
}

@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { actor: Actor | null; expires: number }>();
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly adminKeyHash: Buffer | undefined;
  readonly defaultRate = defaultRateLimit();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAUCE_CONFIG) config: CauceConfig,
    private readonly audit: AuditService,
  ) {
    this.adminKeyHash = config.adminKey ? Buffer.from(sha256(config.adminKey), 'hex') : undefined;
  }

  /** The actor behind a presented key, or null for an unknown or revoked key. */
  async authenticate(key: string): Promise<Actor | null> {
    if (key.length < 16 || key.length > 200) return null;
    const hash = sha256(key);
    if (this.adminKeyHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminKeyHash)) {
      return { id: ADMIN_ACTOR_ID, name: 'CAUCE_ADMIN_KEY', role: 'admin', flowIds: null, rateLimit: this.defaultRate };
    }
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expires > now) {
      if (cached.actor) this.touch(cached.actor.id, now);
      return cached.actor;
    }
    const row = await this.repo.findOne({ where: { keyHash: hash } });
    const actor: Actor | null =
      row && !row.revokedAt
        ? { id: row.id, name: row.name, role: row.role, flowIds: row.flowIds ?? null, rateLimit: row.rateLimit ?? this.defaultRate }
        : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, expires: now + (actor ? CACHE_TTL_MS : NEGATIVE_CACHE_TTL_MS) });
    if (actor) this.touch(actor.id, now);
    return actor;
  }

  /** Records the last use, at most once a minute per key, without delaying the request. */
  private touch(id: string, now: number): void {
    if ((this.lastUsedWritten.get(id) ?? 0) + LAST_USED_EVERY_MS > now) return;
    this.lastUsedWritten.set(id, now);
    void this.repo.update({ id }, { lastUsedAt: new Date(now) }).catch(() => undefined);
  }

  async create(actor: Actor, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const flowIds = dto.flowIds ? [...new Set(dto.flowIds.map((f) => f.toLowerCase()))] : null;
    if (flowIds?.length) {
      const rows: { id: string }[] = await this.dataSource.query(`SELECT id::text AS id FROM flows WHERE id = ANY($1::uuid[])`, [flowIds]);
      const known = new Set(rows.map((r) => r.id));
      const unknown = flowIds.filter((f) => !known.has(f));
      if (unknown.length) throw new BadRequestException(`flowIds: no flow ${unknown.join(', ')}`);
    }
    const { key, hash, prefix } = generateApiKey();
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiKeyEntity);
      const saved = await repo.save(
        repo.create({ name: dto.name, role: dto.role, keyHash: hash, keyPrefix: prefix, flowIds, rateLimit: dto.rateLimit ?? null, createdBy: actor.id }),
      );
      await this.audit.record(actor, 'api_key.created', { type: 'api_key', id: saved.id }, { name: dto.name, role: dto.role, flowIds, rateLimit: dto.rateLimit ?? null }, m);
      return { ...toDto(saved), key };
    });
  }

  async list(): Promise<ApiKeyDto[]> {
    const rows = await this.repo.find({ order: { createdAt: 'DESC' } });
    return rows.map(toDto);
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyDto> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiKeyEntity);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException(`API key ${id} not found`);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        row.revokedBy = actor.id;
        await repo.update({ id }, { revokedAt: row.revokedAt, revokedBy: actor.id });
        await this.audit.record(actor, 'api_key.revoked', { type: 'api_key', id }, { name: row.name, role: row.role }, m);
      }
      // This instance forgets it at once; other instances within the cache TTL.
      for (const [hash, entry] of this.cache) if (entry.actor?.id === id) this.cache.delete(hash);
      return toDto(row);
    });
  }
}

function toDto(row: ApiKeyEntity): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.keyPrefix,
    flowIds: row.flowIds ?? null,
    rateLimit: row.rateLimit ?? null,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}
