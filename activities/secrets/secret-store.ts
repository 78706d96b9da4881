import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { SecretResolver } from '../http/secrets';
import { decryptSecret, encryptSecret, parseSecretsKey, SecretDecryptionError } from './crypto';

/**
 * Secrets stored encrypted in PostgreSQL (`secrets` table, AES-256-GCM under `SECRETS_KEY`, see
 * crypto.ts). Flows and node data only ever carry a secret's NAME; the value is read here, inside an
 * activity, and never logged, returned in an output or written to workflow history.
 *
 * - `SecretStore` is the read-write side (the API's secrets screen, scripts): set, delete, list
 *   names (never values) and get.
 * - `createPgSecretResolver` is the activities' read side: `SecretResolver` with a short cache.
 */

/** Letters, digits, `.`, `_`, `-`; 1 to 120 characters (as the flow schema and the env resolver). */
export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,120}$/;
export const MAX_SECRET_BYTES = 64 * 1024;

export interface SecretInfo {
  name: string;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface SecretStore {
  /** Creates or replaces the secret; `updatedBy` is who did it (an API key name, a user). */
  set(name: string, value: string, updatedBy?: string | null): Promise<{ created: boolean }>;
  /** The value, or undefined when no secret has that name. Throws `SecretDecryptionError` for a row the key cannot open. */
  get(name: string): Promise<string | undefined>;
  /** True when a secret was deleted. */
  delete(name: string): Promise<boolean>;
  /** Names and timestamps, sorted by name; never values. */
  list(): Promise<SecretInfo[]>;
}

export class InvalidSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSecretError';
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new InvalidSecretError('a secret name has 1 to 120 letters, digits, ".", "_" or "-"');
  }
}

interface SecretRow {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export function createPgSecretStore(pool: Pool, key: string | Buffer): SecretStore {
  const keyBytes = parseSecretsKey(key);

  return {
    async set(name, value, updatedBy = null) {
      checkName(name);
      if (typeof value !== 'string' || value === '') throw new InvalidSecretError(`the secret "${name}" needs a non-empty text value`);
      if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) throw new InvalidSecretError(`the secret "${name}" is larger than ${MAX_SECRET_BYTES} bytes`);
      const { ciphertext, iv, tag } = encryptSecret(keyBytes, name, value);
      const { rows } = await pool.query<{ created: boolean }>(
        `INSERT INTO secrets (name, ciphertext, iv, tag, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, tag = EXCLUDED.tag,
           updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING (xmax = 0) AS created`,
        [name, ciphertext, iv, tag, updatedBy],
      );
      return { created: rows[0]?.created === true };
    },

    async get(name) {
      if (typeof name !== 'string' || !SECRET_NAME.test(name)) return undefined;
      const { rows } = await pool.query<SecretRow>(`SELECT ciphertext, iv, tag FROM secrets WHERE name = $1`, [name]);
      return rows[0] ? decryptSecret(keyBytes, name, rows[0]) : undefined;
    },

    async delete(name) {
      checkName(name);
      const { rowCount } = await pool.query(`DELETE FROM secrets WHERE name = $1`, [name]);
      return (rowCount ?? 0) > 0;
    },

    async list() {
      const { rows } = await pool.query<{ name: string; created_at: Date; updated_at: Date; updated_by: string | null }>(
        `SELECT name, created_at, updated_at, updated_by FROM secrets ORDER BY name`,
      );
      return rows.map((r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by }));
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
 * `SecretResolver` over the `secrets` table, for activities. Values (and misses) are cached for
 * `cacheTtlMs`, so a chat turn does not query the table on every HTTP call, and an edit made
 * through the API reaches the workers within that time.
 *
 * A database failure is a plain error (retryable); a row the key cannot decrypt is a non-retryable
 * `SecretUnreadable` failure naming the secret, never its value.
 */
export function createPgSecretResolver(pool: Pool, key: string | Buffer, options: PgSecretResolverOptions = {}): SecretResolver {
  const store = createPgSecretStore(pool, key);
  const ttl = options.cacheTtlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: string | undefined; expires: number }>();

  return {
    async get(name: string) {
      if (typeof name !== 'string' || !SECRET_NAME.test(name)) return undefined;
      const hit = cache.get(name);
      if (hit && hit.expires > now()) return hit.value;
      let value: string | undefined;
      try {
        value = await store.get(name);
      } catch (err) {
        if (err instanceof SecretDecryptionError) throw ApplicationFailure.nonRetryable(err.message, 'SecretUnreadable');
        throw err;
      }
      if (ttl > 0) {
        cache.delete(name);
        cache.set(name, { value, expires: now() + ttl });
        if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
      }
      return value;
    },
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
  };
}
