import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { ApiKeyRepository, ApiKeyRow } from '../../../libs/api-keys/api-key.repository';
import { CauceConfig } from '../../../libs/config/config';
import { inTransaction } from '../../../libs/db/transaction';
import { FlowRepository } from '../../../libs/flows/flow.repository';
import { AuditService } from '../audit/audit.service';
import { CAUCE_CONFIG } from '../config.module';
import { PG_POOL } from '../database/pg-pool';
import type { Actor } from './actor';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto';
import { defaultRateLimit } from './rate-limiter';
import type { Role } from './roles';

export const ADMIN_ACTOR_ID = 'admin';
/**
 * A key found in the database is trusted this long without asking again: a key revoked on another
 * API instance stops working there within it (on the revoking instance at once).
 */
export const KEY_CACHE_TTL_MS = 30_000;
/** An unknown key is remembered this long, so repeating it costs no query either. */
export const NEGATIVE_KEY_CACHE_TTL_MS = 5_000;
/** Entries per cache; unknown keys are kept apart, so a flood of made-up keys never evicts known ones. */
const CACHE_MAX = 10_000;
const LAST_USED_EVERY_MS = 60_000;

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A new key: `cauce_` and 32 random bytes (base64url); its sha256 is what the database keeps. */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `cauce_${randomBytes(32).toString('base64url')}`;
  return { key, hash: sha256(key), prefix: key.slice(0, 12) };
}

@Injectable()
export class ApiKeysService {
  private readonly known = new Map<string, { actor: Actor; expires: number }>();
  private readonly unknown = new Map<string, number>();
  /** Lookups in flight by hash: concurrent first requests with one key share one query. */
  private readonly inFlight = new Map<string, Promise<Actor | null>>();
  /** Bumped by every revocation on this instance, so a lookup that raced one does not cache its answer. */
  private revocations = 0;
  /** Database lookups so far (tests and the flood benchmark read it). */
  lookups = 0;
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly adminKeyHash: Buffer | undefined;
  readonly defaultRate = defaultRateLimit();
  private readonly keys: ApiKeyRepository;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CAUCE_CONFIG) config: CauceConfig,
    private readonly audit: AuditService,
  ) {
    this.keys = new ApiKeyRepository(pool);
    this.adminKeyHash = config.adminKey ? Buffer.from(sha256(config.adminKey), 'hex') : undefined;
  }

  /** The actor behind a presented key, or null for an unknown or revoked key. */
  async authenticate(key: string): Promise<Actor | null> {
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    const hash = sha256(key);
    let lookup = this.inFlight.get(hash);
    if (!lookup) {
      lookup = this.lookUp(hash).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, lookup);
    }
    return lookup;
  }

  /**
   * What this instance knows of a key without asking the database: its actor, null (unknown,
   * revoked, malformed), or undefined when only a lookup can tell. Synchronous, so the request
   * gate can refuse a flood before the body is read.
   */
  peek(key: string): Actor | null | undefined {
    if (key.length < 16 || key.length > 200) return null;
    const hash = sha256(key);
    if (this.adminKeyHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminKeyHash)) {
      return { id: ADMIN_ACTOR_ID, name: 'CAUCE_ADMIN_KEY', role: 'admin', flowIds: null, rateLimit: this.defaultRate };
    }
    const now = Date.now();
    const known = this.known.get(hash);
    if (known && known.expires > now) {
      this.touch(known.actor.id, now);
      return known.actor;
    }
    const unknownUntil = this.unknown.get(hash);
    if (unknownUntil !== undefined) {
      if (unknownUntil > now) return null;
      this.unknown.delete(hash);
    }
    return undefined;
  }

  /**
   * Whether this instance found the key valid before (its cache entry may have expired): checking
   * it again is a revalidation, not a guess, so it is not charged to the client address's lookup
   * budget (a flood of made-up keys from the same address must not lock a known client out).
   */
  knewOf(key: string): boolean {
    return this.known.has(sha256(key));
  }

  private async lookUp(hash: string): Promise<Actor | null> {
    this.lookups++;
    const generation = this.revocations;
    const row = await this.keys.findByHash(hash);
    const now = Date.now();
    // A revocation while the query ran may have read the row before it: answer, but do not cache.
    if (generation !== this.revocations) return row && !row.revokedAt ? this.actorOf(row) : null;
    if (!row || row.revokedAt) {
      this.known.delete(hash);
      if (this.unknown.size >= CACHE_MAX) this.unknown.clear();
      this.unknown.set(hash, now + NEGATIVE_KEY_CACHE_TTL_MS);
      return null;
    }
    const actor = this.actorOf(row);
    this.known.delete(hash); // re-inserted last: the oldest entry is the first to go when full
    if (this.known.size >= CACHE_MAX) this.known.delete(this.known.keys().next().value as string);
    this.known.set(hash, { actor, expires: now + KEY_CACHE_TTL_MS });
    this.touch(actor.id, now);
    return actor;
  }

  private actorOf(row: ApiKeyRow): Actor {
    return { id: row.id, name: row.name, role: row.role as Role, flowIds: row.flowIds ?? null, rateLimit: row.rateLimit ?? this.defaultRate };
  }

  /** Records the last use, at most once a minute per key, without delaying the request. */
  private touch(id: string, now: number): void {
    if ((this.lastUsedWritten.get(id) ?? 0) + LAST_USED_EVERY_MS > now) return;
    this.lastUsedWritten.set(id, now);
    void this.keys.recordUse(id, new Date(now)).catch(() => undefined);
  }

  async create(actor: Actor, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const flowIds = dto.flowIds ? [...new Set(dto.flowIds.map((f) => f.toLowerCase()))] : null;
    if (flowIds?.length) {
      const known = new Set(await new FlowRepository(this.pool).existingIds(flowIds));
      const unknown = flowIds.filter((f) => !known.has(f));
      if (unknown.length) throw new BadRequestException(`flowIds: no flow ${unknown.join(', ')}`);
    }
    const { key, hash, prefix } = generateApiKey();
    return inTransaction(this.pool, async (c) => {
      const saved = await new ApiKeyRepository(c).insert({
        name: dto.name,
        role: dto.role,
        keyHash: hash,
        keyPrefix: prefix,
        flowIds,
        rateLimit: dto.rateLimit ?? null,
        createdBy: actor.id,
      });
      await this.audit.record(
        actor,
        'api_key.created',
        { type: 'api_key', id: saved.id },
        { name: dto.name, role: dto.role, flowIds, rateLimit: dto.rateLimit ?? null },
        c,
      );
      return { ...toDto(saved), key };
    });
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.list()).map(toDto);
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyDto> {
    const revoked = await inTransaction(this.pool, async (c) => {
      const keys = new ApiKeyRepository(c);
      const row = await keys.lockById(id);
      if (!row) throw new NotFoundException(`API key ${id} not found`);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        row.revokedBy = actor.id;
        await keys.revoke(id, row.revokedAt, actor.id);
        await this.audit.record(actor, 'api_key.revoked', { type: 'api_key', id }, { name: row.name, role: row.role }, c);
      }
      return toDto(row);
    });
    // After the commit: this instance forgets the key at once (a lookup that read the row before the
    // commit does not cache it either); other instances within KEY_CACHE_TTL_MS.
    this.revocations++;
    for (const [hash, entry] of this.known) if (entry.actor.id === id) this.known.delete(hash);
    return revoked;
  }
}

function toDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.keyPrefix,
    flowIds: row.flowIds ?? null,
    rateLimit: row.rateLimit ?? null,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}
