import type { Pool } from 'pg';
import type { ApiKeyRow } from '../../../libs/api-keys/api-key.repository';
import type { CauceConfig } from '../../../libs/config/config';
import type { AuditService } from '../audit/audit.service';
import { ApiKeysService, KEY_CACHE_TTL_MS, NEGATIVE_KEY_CACHE_TTL_MS, sha256 } from './api-keys.service';

const KEY = 'cauce_known-key-0123456789';
const ADMIN = 'cauce_the-admin-key-0123456789';

/**
 * The service over an in-memory api_keys table whose lookups are counted (and can be held back):
 * a `pg` Pool stand-in that answers the statements of libs/api-keys/api-key.repository.ts.
 */
function service() {
  const rows = new Map<string, Partial<ApiKeyRow>>([
    [sha256(KEY), { id: 'k1', name: 'shop', role: 'system', flowIds: null, rateLimit: 7, revokedAt: null, createdAt: new Date(0) }],
  ]);
  const db = { lookups: 0, gate: Promise.resolve() };
  const byId = (id: unknown) => [...rows.values()].find((r) => r.id === id);
  const query = async (sql: string, params: unknown[] = []): Promise<{ rows: unknown[] }> => {
    if (/^(BEGIN|COMMIT|ROLLBACK)/.test(sql)) return { rows: [] };
    if (/WHERE key_hash = \$1/.test(sql)) {
      db.lookups++;
      await db.gate;
      const row = rows.get(params[0] as string);
      return { rows: row ? [{ ...row }] : [] };
    }
    if (/WHERE id = \$1 LIMIT 1 FOR UPDATE/.test(sql)) return { rows: byId(params[0]) ? [{ ...byId(params[0]) }] : [] };
    const patch = /SET last_used_at/.test(sql)
      ? { lastUsedAt: params[1] }
      : /SET revoked_at/.test(sql)
        ? { revokedAt: params[1], revokedBy: params[2] }
        : undefined;
    if (patch) {
      Object.assign(byId(params[0]) ?? {}, patch);
      return { rows: [] };
    }
    throw new Error(`unexpected statement: ${sql}`);
  };
  const pool = { query, connect: async () => ({ query, release: () => undefined }) };
  const audit = { record: async () => undefined };
  const keys = new ApiKeysService(pool as unknown as Pool, { adminKey: ADMIN } as CauceConfig, audit as unknown as AuditService);
  return { keys, db };
}

describe('ApiKeysService: the key cache', () => {
  afterEach(() => jest.useRealTimers());

  it('looks a known key up once per KEY_CACHE_TTL_MS (30 s), then again', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { keys, db } = service();
    expect(keys.peek(KEY)).toBeUndefined();
    expect(await keys.authenticate(KEY)).toMatchObject({ id: 'k1', role: 'system', rateLimit: 7 });
    jest.setSystemTime(1_000_000 + KEY_CACHE_TTL_MS - 1);
    expect(keys.peek(KEY)).toMatchObject({ id: 'k1' });
    expect(await keys.authenticate(KEY)).toMatchObject({ id: 'k1' });
    expect(db.lookups).toBe(1);
    jest.setSystemTime(1_000_000 + KEY_CACHE_TTL_MS + 1);
    expect(keys.peek(KEY)).toBeUndefined();
    // Expired, but found valid before: its next lookup is a revalidation (not charged to the address).
    expect(keys.knewOf(KEY)).toBe(true);
    expect(keys.knewOf('cauce_never-seen-0123456789')).toBe(false);
    await keys.authenticate(KEY);
    expect(db.lookups).toBe(2);
    expect(KEY_CACHE_TTL_MS).toBe(30_000);
  });

  it('remembers an unknown key for NEGATIVE_KEY_CACHE_TTL_MS (5 s); malformed keys and the admin key need no lookup', async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const { keys, db } = service();
    const bad = 'cauce_unknown-key-0123456789';
    expect(await keys.authenticate(bad)).toBeNull();
    expect(keys.peek(bad)).toBeNull();
    expect(await keys.authenticate(bad)).toBeNull();
    expect(db.lookups).toBe(1);
    jest.setSystemTime(2_000_000 + NEGATIVE_KEY_CACHE_TTL_MS + 1);
    expect(keys.peek(bad)).toBeUndefined();
    expect(NEGATIVE_KEY_CACHE_TTL_MS).toBe(5_000);

    expect(keys.peek('short')).toBeNull();
    expect(keys.peek(ADMIN)).toMatchObject({ id: 'admin', role: 'admin' });
    expect(db.lookups).toBe(1);
  });

  it('shares one query among concurrent first requests with the same key', async () => {
    const { keys, db } = service();
    let release!: () => void;
    db.gate = new Promise((r) => (release = r));
    const pending = Promise.all([1, 2, 3, 4, 5].map(() => keys.authenticate(KEY)));
    release();
    expect((await pending).map((a) => a?.id)).toEqual(['k1', 'k1', 'k1', 'k1', 'k1']);
    expect(db.lookups).toBe(1);
  });

  it('forgets a revoked key at once on this instance, also when a lookup raced the revocation', async () => {
    const { keys, db } = service();
    await keys.authenticate(KEY);
    const admin = { id: 'admin', name: 'admin', role: 'admin' as const, flowIds: null, rateLimit: 50 };
    await keys.revoke(admin, 'k1');
    expect(keys.peek(KEY)).toBeUndefined();
    expect(await keys.authenticate(KEY)).toBeNull();
    expect(db.lookups).toBe(2);

    // A lookup that read the row before the revocation committed answers, but is not cached.
    const second = service();
    let release!: () => void;
    second.db.gate = new Promise((r) => (release = r));
    const racing = second.keys.authenticate(KEY);
    await new Promise((r) => setImmediate(r));
    const revoked = second.keys.revoke(admin, 'k1');
    release();
    await Promise.all([racing, revoked]);
    expect(second.keys.peek(KEY) ?? null).toBeNull();
    expect(await second.keys.authenticate(KEY)).toBeNull();
  });
});
