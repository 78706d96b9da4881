import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { createEnvSecretResolver, ScopedSecret, SecretResolver, SecretScope } from '../http/secrets';
import { MAX_ALLOWED_HOSTS, normaliseHostPattern } from './host-patterns';
import { decryptSecret, encryptSecret, parseSecretsKey, SecretDecryptionError } from './crypto';

/**
 * Secrets stored encrypted in PostgreSQL (`secrets` table, AES-256-GCM under `SECRETS_KEY`, see
 * crypto.ts). Flows and node data only ever carry a secret's NAME; the value is read here, inside an
 * activity, and never logged, returned in an output or written to workflow history.
 *
 * - `SecretStore` is the read-write side (the API's secrets screen, scripts): set, delete, list
 *   names and scopes (never values) and get.
 * - Each secret has a scope (`SecretScope`: allowed hosts, flows, roles) that says where flows may
 *   send it; it is not secret, so it is stored in clear beside the ciphertext.
 * - `createPgSecretResolver` is the activities' read side: `SecretResolver` with a short cache.
 */

/** Letters, digits, `.`, `_`, `-`; 1 to 120 characters (as the flow schema and the env resolver). */
export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,120}$/;
export const MAX_SECRET_BYTES = 64 * 1024;

export const SECRET_ROLES = ['admin', 'editor'] as const;

export interface SecretInfo extends SecretScope {
  name: string;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

/** A change of scope: fields left undefined keep their stored value (a new secret starts with none). */
export type SecretScopeChange = Partial<SecretScope>;

export interface SecretStore {
  /** Creates or replaces the secret; `updatedBy` is who did it (an API key name, a user); `scope` changes its scope too. */
  set(name: string, value: string, updatedBy?: string | null, scope?: SecretScopeChange): Promise<{ created: boolean }>;
  /** Changes the scope of an existing secret only; false when there is no such secret. */
  setScope(name: string, scope: SecretScopeChange, updatedBy?: string | null): Promise<boolean>;
  /** The value, or undefined when no secret has that name. Throws `SecretDecryptionError` for a row the key cannot open. */
  get(name: string): Promise<string | undefined>;
  /** The value and its scope, or undefined when no secret has that name. */
  getScoped(name: string): Promise<ScopedSecret | undefined>;
  /** True when a secret was deleted. */
  delete(name: string): Promise<boolean>;
  /** Names, scopes and timestamps, sorted by name; never values. */
  list(): Promise<SecretInfo[]>;
}

export class InvalidSecretError extends Error {
  /** The request field at fault, so the API names it without reading the message. */
  constructor(
    message: string,
    readonly field: 'name' | 'value' | 'allowedHosts' | 'flowIds' | 'roles',
  ) {
    super(message);
    this.name = 'InvalidSecretError';
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new InvalidSecretError('a secret name has 1 to 120 letters, digits, ".", "_" or "-"', 'name');
  }
}

interface SecretRow {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  allowed_hosts: string[];
  flow_ids: string[] | null;
  roles: string[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The change checked and normalised (hosts lower-cased, duplicates dropped). Errors name the field
 * and the entry: none of these is secret.
 */
export function checkScopeChange(scope: SecretScopeChange): SecretScopeChange {
  const out: SecretScopeChange = {};
  if (scope.allowedHosts !== undefined) {
    if (!Array.isArray(scope.allowedHosts)) throw new InvalidSecretError('allowedHosts must be a list of host names', 'allowedHosts');
    if (scope.allowedHosts.length > MAX_ALLOWED_HOSTS) throw new InvalidSecretError(`allowedHosts has more than ${MAX_ALLOWED_HOSTS} entries`, 'allowedHosts');
    const hosts: string[] = [];
    for (const [i, entry] of scope.allowedHosts.entries()) {
      const normal = normaliseHostPattern(entry);
      if (!normal) {
        throw new InvalidSecretError(
          `allowedHosts.${i} (${JSON.stringify(String(entry)).slice(0, 80)}) must be a host name or IP address, or "*.domain", optionally with ":port"`,
          'allowedHosts',
        );
      }
      if (!hosts.includes(normal)) hosts.push(normal);
    }
    out.allowedHosts = hosts;
  }
  if (scope.flowIds !== undefined) {
    if (scope.flowIds !== null && (!Array.isArray(scope.flowIds) || scope.flowIds.some((id) => typeof id !== 'string' || !UUID.test(id)))) {
      throw new InvalidSecretError('flowIds must be null or a list of flow ids (UUIDs)', 'flowIds');
    }
    out.flowIds = scope.flowIds === null ? null : [...new Set(scope.flowIds.map((id) => id.toLowerCase()))];
  }
  if (scope.roles !== undefined) {
    if (scope.roles !== null && (!Array.isArray(scope.roles) || scope.roles.some((r) => !(SECRET_ROLES as readonly string[]).includes(r)))) {
      throw new InvalidSecretError(`roles must be null or a list of ${SECRET_ROLES.join(', ')}`, 'roles');
    }
    out.roles = scope.roles === null ? null : [...new Set(scope.roles)];
  }
  return out;
}

const scopeOf = (row: Pick<SecretRow, 'allowed_hosts' | 'flow_ids' | 'roles'>): SecretScope => ({
  allowedHosts: row.allowed_hosts ?? [],
  flowIds: row.flow_ids ?? null,
  roles: row.roles ?? null,
});

/** Query parameters for a scope change: each field's value, then whether the change sets it. */
function scopeParams(change: SecretScopeChange): unknown[] {
  return [
    change.allowedHosts ?? null,
    change.allowedHosts !== undefined,
    change.flowIds ?? null,
    change.flowIds !== undefined,
    change.roles ?? null,
    change.roles !== undefined,
  ];
}

export function createPgSecretStore(pool: Pool, key: string | Buffer): SecretStore {
  const keyBytes = parseSecretsKey(key);

  async function getScoped(name: string): Promise<ScopedSecret | undefined> {
    if (typeof name !== 'string' || !SECRET_NAME.test(name)) return undefined;
    const { rows } = await pool.query<SecretRow>(
      `SELECT ciphertext, iv, tag, allowed_hosts, flow_ids::text[] AS flow_ids, roles FROM secrets WHERE name = $1`,
      [name],
    );
    return rows[0] ? { value: decryptSecret(keyBytes, name, rows[0]), scope: scopeOf(rows[0]) } : undefined;
  }

  return {
    async set(name, value, updatedBy = null, scope = {}) {
      checkName(name);
      if (typeof value !== 'string' || value === '') throw new InvalidSecretError(`the secret "${name}" needs a non-empty text value`, 'value');
      if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES)
        throw new InvalidSecretError(`the secret "${name}" is larger than ${MAX_SECRET_BYTES} bytes`, 'value');
      const change = checkScopeChange(scope);
      const { ciphertext, iv, tag } = encryptSecret(keyBytes, name, value);
      // $7/$9/$11 say whether the change sets that field; a replace without them keeps the stored scope.
      const { rows } = await pool.query<{ created: boolean }>(
        `INSERT INTO secrets (name, ciphertext, iv, tag, updated_by, allowed_hosts, flow_ids, roles)
           VALUES ($1, $2, $3, $4, $5, COALESCE($6::text[], '{}'), $8::uuid[], $10::text[])
         ON CONFLICT (name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, tag = EXCLUDED.tag,
           updated_by = EXCLUDED.updated_by, updated_at = now(),
           allowed_hosts = CASE WHEN $7 THEN EXCLUDED.allowed_hosts ELSE secrets.allowed_hosts END,
           flow_ids = CASE WHEN $9 THEN EXCLUDED.flow_ids ELSE secrets.flow_ids END,
           roles = CASE WHEN $11 THEN EXCLUDED.roles ELSE secrets.roles END
         RETURNING (xmax = 0) AS created`,
        [name, ciphertext, iv, tag, updatedBy, ...scopeParams(change)],
      );
      return { created: rows[0]?.created === true };
    },

    async setScope(name, scope, updatedBy = null) {
      checkName(name);
      const change = checkScopeChange(scope);
      const { rowCount } = await pool.query(
        `UPDATE secrets SET updated_by = $1, updated_at = now(),
           allowed_hosts = CASE WHEN $3 THEN COALESCE($2::text[], '{}') ELSE allowed_hosts END,
           flow_ids = CASE WHEN $5 THEN $4::uuid[] ELSE flow_ids END,
           roles = CASE WHEN $7 THEN $6::text[] ELSE roles END
         WHERE name = $8`,
        [updatedBy, ...scopeParams(change), name],
      );
      return (rowCount ?? 0) > 0;
    },

    async get(name) {
      return (await getScoped(name))?.value;
    },

    getScoped,

    async delete(name) {
      checkName(name);
      const { rowCount } = await pool.query(`DELETE FROM secrets WHERE name = $1`, [name]);
      return (rowCount ?? 0) > 0;
    },

    async list() {
      const { rows } = await pool.query<
        { name: string; created_at: Date; updated_at: Date; updated_by: string | null } & Pick<SecretRow, 'allowed_hosts' | 'flow_ids' | 'roles'>
      >(`SELECT name, created_at, updated_at, updated_by, allowed_hosts, flow_ids::text[] AS flow_ids, roles FROM secrets ORDER BY name`);
      return rows.map((r) => ({ name: r.name, ...scopeOf(r), createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by }));
    },
  };
}

export interface PgSecretResolverOptions {
  /** How long a value (or its absence) is reused, in ms. Default 10 000; 0 disables the cache. */
  cacheTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const MAX_CACHED = 1_000;

/**
 * `SecretResolver` over the `secrets` table, for activities. Values and scopes (and misses) are
 * cached for `cacheTtlMs`, so a chat turn does not query the table on every HTTP call, and an edit
 * made through the API (a new value, a narrower scope) reaches the workers within that time.
 *
 * A database failure is a plain error (retryable); a row the key cannot decrypt is a non-retryable
 * `SecretUnreadable` failure naming the secret, never its value.
 */
export function createPgSecretResolver(pool: Pool, key: string | Buffer, options: PgSecretResolverOptions = {}): SecretResolver {
  const store = createPgSecretStore(pool, key);
  const ttl = options.cacheTtlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { secret: ScopedSecret | undefined; expires: number }>();

  async function getScoped(name: string): Promise<ScopedSecret | undefined> {
    if (typeof name !== 'string' || !SECRET_NAME.test(name)) return undefined;
    const hit = cache.get(name);
    if (hit && hit.expires > now()) return hit.secret;
    let secret: ScopedSecret | undefined;
    try {
      secret = await store.getScoped(name);
    } catch (err) {
      if (err instanceof SecretDecryptionError) throw ApplicationFailure.nonRetryable(err.message, 'SecretUnreadable');
      throw err;
    }
    if (ttl > 0) {
      cache.delete(name);
      cache.set(name, { secret, expires: now() + ttl });
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
    }
    return secret;
  }

  return {
    async get(name: string) {
      return (await getScoped(name))?.value;
    },
    getScoped,
  };
}

/** Asks each resolver in turn; the first that knows the name answers (e.g. the table, then `CAUCE_SECRET_<NAME>`). */
export function chainSecretResolvers(...resolvers: SecretResolver[]): SecretResolver {
  return {
    async get(name: string) {
      for (const resolver of resolvers) {
        const value = await resolver.get(name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    async getScoped(name: string) {
      for (const resolver of resolvers) {
        const secret = await resolver.getScoped(name);
        if (secret !== undefined) return secret;
      }
      return undefined;
    },
  };
}

/**
 * The scopes of the named secrets, without their values (no `SECRETS_KEY` needed): the table first,
 * then `CAUCE_SECRET_<NAME>` in `env` (as the workers' chained resolver). Names nothing knows are
 * absent from the map. For the API's checks at publish and test-run time.
 */
export async function readSecretScopes(pool: Pool, names: readonly string[], env: Record<string, string | undefined> = {}): Promise<Map<string, SecretScope>> {
  const valid = [...new Set(names)].filter((n) => SECRET_NAME.test(n));
  const out = new Map<string, SecretScope>();
  if (valid.length === 0) return out;
  const { rows } = await pool.query<{ name: string } & Pick<SecretRow, 'allowed_hosts' | 'flow_ids' | 'roles'>>(
    `SELECT name, allowed_hosts, flow_ids::text[] AS flow_ids, roles FROM secrets WHERE name = ANY($1::text[])`,
    [valid],
  );
  for (const row of rows) out.set(row.name, scopeOf(row));
  const fromEnv = createEnvSecretResolver(env);
  for (const name of valid) {
    if (out.has(name)) continue;
    const secret = await fromEnv.getScoped(name);
    if (secret) out.set(name, secret.scope);
  }
  return out;
}
