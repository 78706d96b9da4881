import type { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The API's one `pg` Pool, injected with `@Inject(PG_POOL)`: every feature's repository (libs/*)
 * runs its SQL on it, or on one of its clients inside `inTransaction` (libs/db/transaction.ts).
 */
export const PG_POOL = Symbol('PG_POOL');

/**
 * The `pg` pool behind the API's TypeORM data source. TypeORM stays only as the connection and the
 * migration runner (libs/db); sharing its pool keeps one pool per process, and plain `pool.query`
 * gives `rows` and `rowCount` for every statement kind (TypeORM's `query` does not for UPDATE).
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the PostgreSQL data source is not initialised');
  return pool;
}

export const pgPoolProvider: Provider = { provide: PG_POOL, inject: [getDataSourceToken()], useFactory: pgPoolOf };
