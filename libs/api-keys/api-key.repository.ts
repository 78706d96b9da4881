import type { Pool } from 'pg';

/**
 * The one module that writes the `api_keys` table: the API's key routes (create, revoke) and its
 * authentication (the last use). Only a key's sha256 is stored; `key_hash` is matched, never read
 * back. Plain SQL over a `pg` Pool or a transaction's client, like libs/runs-index.
 */
export type ApiKeysDb = Pick<Pool, 'query'>;

/** A key as the API reads it (every column but `key_hash`). */
export interface ApiKeyRow {
  id: string;
  name: string;
  /** One of the API's roles (apps/api/auth/roles.ts): the only values the API writes. */
  role: string;
  keyPrefix: string;
  flowIds: string[] | null;
  rateLimit: number | null;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface NewApiKey {
  name: string;
  role: string;
  keyHash: string;
  keyPrefix: string;
  flowIds: string[] | null;
  rateLimit: number | null;
  createdBy: string;
}

const COLUMNS = `id::text AS id, name, role, key_prefix AS "keyPrefix", flow_ids::text[] AS "flowIds", rate_limit AS "rateLimit",
                 created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

export class ApiKeyRepository {
  constructor(private readonly db: ApiKeysDb) {}

  /** The key with this sha256, revoked or not. */
  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 LIMIT 1`, [keyHash]);
    return rows[0];
  }

  /** The key, locked until the transaction ends (a revocation's read). */
  async lockById(id: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 LIMIT 1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /** Every key, newest first. */
  async list(): Promise<ApiKeyRow[]> {
    const { rows } = await this.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC`);
    return rows;
  }

  async insert(key: NewApiKey): Promise<ApiKeyRow> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (name, role, key_hash, key_prefix, flow_ids, rate_limit, created_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7)
       RETURNING ${COLUMNS}`,
      [key.name, key.role, key.keyHash, key.keyPrefix, key.flowIds, key.rateLimit, key.createdBy],
    );
    return rows[0];
  }

  async recordUse(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [id, at]);
  }

  async revoke(id: string, at: Date, by: string): Promise<void> {
    await this.db.query(`UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1`, [id, at, by]);
  }
}
