// `node dist/libs/db/migrate.js`: applies pending migrations and exits (the compose `migrate` service).
import { ConfigError, loadConfig } from '../config/config';
import { runMigrations } from './data-source';

async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new ConfigError('DATABASE_URL', 'is required to run migrations');
  const applied = await runMigrations(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
