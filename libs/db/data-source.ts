import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

/*
 * TypeORM is the connection and the migration runner, nothing more: there are no entities. Data
 * access is plain SQL in one repository per table (libs/flows, libs/runs-index, ...) over a `pg`
 * Pool; the API takes its Pool from this data source (apps/api/database/pg-pool.ts `PG_POOL`), and a
 * transaction runs on one of its clients through `inTransaction` (./transaction.ts).
 */

/** Options shared by the API, the worker, the launcher and the TypeORM CLI: migrations only, never synchronize. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: ['error', 'migration'],
    extra: { max: 20, connectionTimeoutMillis: 5000 },
    ...extra,
  } as DataSourceOptions;
}

/** Applies pending migrations and returns their names. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { logging: ['error'] }));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
