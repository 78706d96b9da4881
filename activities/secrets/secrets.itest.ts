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
    expect(Object.keys(rows[0]).sort()).toEqual([
      'allowed_hosts',
      'ciphertext',
      'created_at',
      'flow_ids',
      'iv',
      'name',
      'roles',
      'tag',
      'updated_at',
      'updated_by',
    ]);
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
    const none = { allowedHosts: [], flowIds: null, roles: null };
    expect(listed).toEqual([
      { name: a, ...none, createdAt: expect.any(Date), updatedAt: expect.any(Date), updatedBy: null },
      { name: b, ...none, createdAt: expect.any(Date), updatedAt: expect.any(Date), updatedBy: 'ops' },
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

  it('stores, changes and keeps each secret’s scope (hosts normalised; omitted fields kept); refuses bad entries naming them', async () => {
    const store = createPgSecretStore(pool, key);
    const n = name('scoped');
    const flowId = crypto.randomUUID();
    await store.set(n, 'tok-scope-1', 'admin', {
      allowedHosts: ['API.Helpdesk.com', '*.helpdesk.com:8443', 'api.helpdesk.com'],
      flowIds: [flowId],
      roles: ['editor'],
    });
    const scope = { allowedHosts: ['api.helpdesk.com', '*.helpdesk.com:8443'], flowIds: [flowId], roles: ['editor'] };
    expect(await store.getScoped(n)).toEqual({ value: 'tok-scope-1', scope });
    // A new value without scope fields keeps the scope.
    await store.set(n, 'tok-scope-2');
    expect(await store.getScoped(n)).toEqual({ value: 'tok-scope-2', scope });
    // A scope change without the value: only the given fields change; null clears a limit.
    expect(await store.setScope(n, { flowIds: null }, 'ops')).toBe(true);
    expect((await store.getScoped(n))?.scope).toEqual({ ...scope, flowIds: null });
    expect(await store.setScope(name('absent'), { allowedHosts: ['x.com'] })).toBe(false);
    await expect(store.setScope(n, { allowedHosts: ['ok.com', 'https://evil.com/x'] })).rejects.toThrow(
      'allowedHosts.1 ("https://evil.com/x") must be a host name or IP address',
    );
    await expect(store.set(n, 'v', null, { roles: ['system'] })).rejects.toThrow('roles must be null or a list of admin, editor');
    await expect(store.set(n, 'v', null, { flowIds: ['not-a-uuid'] })).rejects.toThrow('flowIds must be null or a list of flow ids');
    expect((await store.getScoped(n))?.value).toBe('tok-scope-2');
  });

  it('a secret stored before scopes existed has no allowed hosts: the activity sends it nowhere', async () => {
    const n = name('legacy');
    await createPgSecretStore(pool, key).set(n, 'legacy-value');
    const http = createHttpActivities({ secrets: createPgSecretResolver(pool, key, { cacheTtlMs: 0 }) });
    const ctx = { runId: 'r', flowId: crypto.randomUUID(), nodeId: 'h', idempotencyKey: 'r:h:1' };
    const err = await http.httpRequest({ ctx, method: 'GET', url: 'https://api.example.com/', secretHeaders: { authorization: n } }).catch((e) => e);
    expect(err).toMatchObject({ type: 'SecretNotAvailable', nonRetryable: true });
    expect(err.message).toContain(`PATCH /api/secrets/${n}`);
    // Limited to another flow: refused the same way, even for an allowed host.
    await createPgSecretStore(pool, key).setScope(n, { allowedHosts: ['api.example.com'], flowIds: [crypto.randomUUID()] });
    const other = await http.httpRequest({ ctx, method: 'GET', url: 'https://api.example.com/', secretHeaders: { authorization: n } }).catch((e) => e);
    expect(other.message).toBe(err.message);
  });

  it('createActivities resolves secret headers from the table first, then CAUCE_SECRET_<NAME>', async () => {
    const n = name('hdr');
    await createPgSecretStore(pool, key).set(n, 'from-table-123', null, { allowedHosts: ['127.0.0.1:1'] });
    const env = { SECRETS_KEY: key, CAUCE_SECRET_ONLY_ENV: 'from-env-456', CAUCE_SECRET_HOSTS_ONLY_ENV: '127.0.0.1:1' };
    const chained = chainSecretResolvers(createPgSecretResolver(pool, key), createEnvSecretResolver(env));
    expect(await chained.get(n)).toBe('from-table-123');
    expect(await chained.get('only-env')).toBe('from-env-456');
    expect(await chained.get('nowhere')).toBeUndefined();

    // The activity sees the table's secret (it refuses 127.0.0.1, but only after resolving the secrets).
    const activities = createActivities({ pool, env });
    const ctx = { runId: 'r', flowId: 'f', nodeId: 'h', idempotencyKey: 'r:h:1' };
    await expect(
      activities.httpRequest({ ctx, method: 'GET', url: 'http://127.0.0.1:1/', secretHeaders: { authorization: 'missing-secret' } }),
    ).rejects.toMatchObject({ type: 'SecretNotAvailable', nonRetryable: true });
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
