import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMigrations } from '../libs/db/data-source';
import { consoleLogger } from '../libs/runtime/log';
import { startEmbeddedPostgres } from '../libs/runtime/postgres';
import { resolveTemporalCli } from '../libs/runtime/temporal-cli';
import { startTemporalDevServer } from '../libs/runtime/temporal-server';

/**
 * Starts, once per Jest run, a real PostgreSQL and a real Temporal dev server on free ports, and
 * hands their addresses to the test files through the environment. Nothing uses a fixed port,
 * so the suite runs beside a stack started with `npm start`.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-test-'));
  const cli = await resolveTemporalCli({ logger: consoleLogger('test-setup') });
  const [postgres, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(root, 'postgres'), unsafeFast: true }),
    startTemporalDevServer({ cliPath: cli.path, ui: false }),
  ]);
  await runMigrations(postgres.url);
  process.env.CAUCE_TEST_DATABASE_URL = postgres.url;
  process.env.CAUCE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.CAUCE_TEST_ROOT = root;
  process.env.TEMPORAL_CLI = cli.path;
  (globalThis as Record<string, unknown>).__cauceTestInfra = { postgres, temporal, root };
  console.log(`\n[test-setup] PostgreSQL and Temporal ready in ${Date.now() - started} ms (temporal CLI from ${cli.source})`);
}
