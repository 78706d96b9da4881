import * as crypto from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { createHttpActivities } from '../http/http.activities';
import { createEnvSecretResolver } from '../http/secrets';
import { createActivities } from '../index';
import { SecretDecryptionError } from './crypto';
import { chainSecretResolvers, createPgSecretResolver, createPgSecretStore, InvalidSecretError } from './secret-store';

describe('secrets stored encrypted in PostgreSQL', () => {
  let pool: Pool;
  const key = crypto.randomBytes(32).toString('hex');
  const name = (prefix: string) => uniqueId(prefix).slice(0, 60);

  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('round-trips set, get, replace and delete; the row holds no clear text', async () => {
    const store = createPgSecretStore(pool, key);
    const n = name('hubspot');
    expect(await store.get(n)).toBeUndefined();
    expect(await store.set(n, 'pat-na1-11111111', 'admin')).toEqual({ created: true });
    expect(await store.get(n)).toBe('pat-na1-11111111');

    const { rows } = await pool.query(`SELECT * FROM secrets WHERE name = $1`, [n]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['ciphertext', 'created_at', 'iv', 'name', 'tag', 'updated_at', 'updated_by']);
    expect(rows[0].iv).toHaveLength(12);
    expect(rows[0].tag).toHaveLength(16);
    expect(rows[0].ciphertext.toString('utf8')).not.toContain('11111111');
    expect(rows[0].updated_by).toBe('admin');

    expect(await store.set(n, 'pat-na1-22222222', 'ana')).toEqual({ created: false });
    expect(await store.get(n)).toBe('pat-na1-22222222');
    const after = (await pool.query(`SELECT updated_at, created_at, updated_by FROM secrets WHERE name = $1`, [n])).rows[0];
    expect(after.updated_by).toBe('ana');
    expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(after.created_at.getTime());

    expect(await store.delete(n)).toBe(true);
    expect(await store.delete(n)).toBe(false);
    expect(await store.get(n)).toBeUndefined();
  });

  it('lists names and timestamps only, never values', async () => {
    const store = createPgSecretStore(pool, key);
    const a = name('list-a');
    const b = name('list-b');
    await store.set(a, 'value-aaaa-1234');
    await store.set(b, 'value-bbbb-5678', 'ops');
    const listed = (await store.list()).filter((s) => s.name === a || s.name === b);
    expect(listed).toEqual([
      { name: a, createdAt: expect.any(Date), updatedAt: expect.any(Date), updatedBy: null },
      { name: b, createdAt: expect.any(Date), updatedAt: expect.any(Date), updatedBy: 'ops' },
    ]);
    expect(JSON.stringify(await store.list())).not.toMatch(/value-(aaaa|bbbb)/);
  });

  it('fails clearly with the wrong key, and on a tampered ciphertext (GCM tag)', async () => {
    const n = name('tamper');
    await createPgSecretStore(pool, key).set(n, 'sk-live-abcdef');
    const other = createPgSecretStore(pool, crypto.randomBytes(32).toString('base64'));
    await expect(other.get(n)).rejects.toThrow(SecretDecryptionError);
    await expect(other.get(n)).rejects.toThrow(/SECRETS_KEY is not the key it was stored with/);

    await pool.query(`UPDATE secrets SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1) WHERE name = $1`, [n]);
    const store = createPgSecretStore(pool, key);
    await expect(store.get(n)).rejects.toThrow(SecretDecryptionError);
    // A ciphertext copied onto another name does not open either (the name is authenticated data).
    const copy = name('copy');
    await store.set(copy, 'x-value');
    const m = name('moved');
    await pool.query(`INSERT INTO secrets (name, ciphertext, iv, tag) SELECT $2, ciphertext, iv, tag FROM secrets WHERE name = $1`, [copy, m]);
    await expect(store.get(m)).rejects.toThrow(SecretDecryptionError);

    // Through the resolver: a non-retryable failure that names the secret, not its value.
    const resolver = createPgSecretResolver(pool, key);
    const err = await resolver.get(n).catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'SecretUnreadable', nonRetryable: true });
    expect(err.message).toContain(n);
    expect(err.message).not.toContain('abcdef');
  });

  it('rejects bad names and empty values', async () => {
    const store = createPgSecretStore(pool, key);
    await expect(store.set('has space', 'v')).rejects.toThrow(InvalidSecretError);
    await expect(store.set('x'.repeat(121), 'v')).rejects.toThrow(InvalidSecretError);
    await expect(store.set(name('empty'), '')).rejects.toThrow(InvalidSecretError);
    expect(await store.get('../etc/passwd')).toBeUndefined();
    expect(() => createPgSecretStore(pool, 'short')).toThrow(/SECRETS_KEY/);
  });

  it('the resolver caches values and misses briefly', async () => {
    let now = 1_000;
    const resolver = createPgSecretResolver(pool, key, { cacheTtlMs: 10_000, now: () => now });
    const store = createPgSecretStore(pool, key);
    const n = name('cached');
    expect(await resolver.get(n)).toBeUndefined();
    await store.set(n, 'first-value');
    expect(await resolver.get(n)).toBeUndefined(); // the miss is cached
    now += 10_001;
    expect(await resolver.get(n)).toBe('first-value');
    await store.set(n, 'second-value');
    expect(await resolver.get(n)).toBe('first-value');
    now += 10_001;
    expect(await resolver.get(n)).toBe('second-value');
  });

  it('createActivities resolves secret headers from the table first, then CAUCE_SECRET_<NAME>', async () => {
    const n = name('hdr');
    await createPgSecretStore(pool, key).set(n, 'from-table-123');
    const env = { SECRETS_KEY: key, CAUCE_SECRET_ONLY_ENV: 'from-env-456' };
    const chained = chainSecretResolvers(createPgSecretResolver(pool, key), createEnvSecretResolver(env));
    expect(await chained.get(n)).toBe('from-table-123');
    expect(await chained.get('only-env')).toBe('from-env-456');
    expect(await chained.get('nowhere')).toBeUndefined();

    // The activity sees the table's secret (it refuses 127.0.0.1, but only after resolving the secrets).
    const activities = createActivities({ pool, env });
    const ctx = { runId: 'r', flowId: 'f', nodeId: 'h', idempotencyKey: 'r:h:1' };
    await expect(
      activities.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/', secretHeaders: { authorization: 'missing-secret' } }),
    ).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    await expect(activities.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/', secretHeaders: { authorization: n } })).rejects.toMatchObject({
      type: 'HttpUrlRefused',
    });
    // The env-only fallback keeps working without SECRETS_KEY.
    const http = createHttpActivities({ secrets: createEnvSecretResolver(env) });
    await expect(http.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/', secretHeaders: { authorization: 'only-env' } })).rejects.toMatchObject({
      type: 'HttpUrlRefused',
    });
  });
});
