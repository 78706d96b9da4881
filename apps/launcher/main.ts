import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig, redact } from '../../libs/config/config';
import { runMigrations } from '../../libs/db/data-source';
import { consoleLogger } from '../../libs/runtime/log';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../../libs/runtime/postgres';
import { newAdminKey, newSecretsKey, readOrCreateKey } from '../../libs/runtime/secrets';
import { Supervised } from '../../libs/runtime/supervisor';
import { resolveTemporalCli } from '../../libs/runtime/temporal-cli';
import { startTemporalDevServer, TemporalDevServer } from '../../libs/runtime/temporal-server';

/**
 * `npm start`: the whole stack on one machine. Embedded PostgreSQL and the Temporal dev server
 * (unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), migrations, the worker and the API
 * with the built editor. Ctrl-C stops everything; the data folder keeps the state for next time.
 */
const log = consoleLogger('cauce');

async function waitForHealth(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as { checks?: { worker?: { status?: string } } };
      // Ready means a worker polls too, so the first run started after the banner moves at once.
      if (res.ok && body.checks?.worker?.status === 'up') return body;
      last = JSON.stringify(body);
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy at ${url}: ${last}`);
}

let stopOnFailure: ((err: unknown) => Promise<void>) | undefined;

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  fs.mkdirSync(path.join(config.dataDir, 'run'), { recursive: true });
  log.info(`data folder: ${config.dataDir}`);

  const adminKey = config.adminKey ?? readOrCreateKey(config.dataDir, 'admin.key', newAdminKey).value;
  const secretsKey = config.secretsKey ?? readOrCreateKey(config.dataDir, 'secrets.key', newSecretsKey).value;

  let postgres: EmbeddedPostgres | undefined;
  let temporal: TemporalDevServer | undefined;
  const apps: Supervised[] = [];
  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${reason}: stopping the API and the worker, then Temporal and PostgreSQL...`);
    fs.rmSync(path.join(config.dataDir, 'run', 'stack.json'), { force: true });
    await Promise.all(apps.map((a) => a.stop()));
    await temporal?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    log.info('stopped. The data stays in ' + config.dataDir);
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(`${signal} received`, 0));
  stopOnFailure = (err) => shutdown(`failed to start: ${err instanceof Error ? err.message : String(err)}`, 1);

  const [databaseUrl, temporalAddress] = await Promise.all([
    (async () => {
      if (config.databaseUrl) {
        log.info(`using PostgreSQL at ${redact(config.databaseUrl)}`);
        return config.databaseUrl;
      }
      log.info('starting the embedded PostgreSQL...');
      postgres = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), logger: consoleLogger('postgres') });
      return postgres.url;
    })(),
    (async () => {
      if (config.temporal.address) {
        log.info(`using Temporal at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
        return config.temporal.address;
      }
      const cli = await resolveTemporalCli({ logger: consoleLogger('temporal'), env: process.env });
      log.info(`starting the Temporal dev server (${cli.path}, from ${cli.source})...`);
      temporal = await startTemporalDevServer({
        cliPath: cli.path,
        dataDir: path.join(config.dataDir, 'temporal'),
        namespace: config.temporal.namespace,
        logger: consoleLogger('temporal'),
      });
      return temporal.address;
    })(),
  ]);
  if (shuttingDown) return;

  const applied = await runMigrations(databaseUrl);
  log.info(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    CAUCE_ADMIN_KEY: adminKey,
    SECRETS_KEY: secretsKey,
    CAUCE_DATA_DIR: config.dataDir,
    PORT: String(config.port),
  };
  const worker = new Supervised('worker', path.resolve(__dirname, '../worker/main.js'), env, log);
  const api = new Supervised('api', path.resolve(__dirname, '../api/main.js'), env, log);
  apps.push(worker, api);
  worker.start();
  api.start();

  const base = `http://127.0.0.1:${config.port}`;
  await waitForHealth(`${base}/api/health`, 120_000);
  // What tools (benchmarks, tests, scripts) need to reach this stack's servers.
  fs.writeFileSync(
    path.join(config.dataDir, 'run', 'stack.json'),
    JSON.stringify({ pid: process.pid, apiUrl: base, databaseUrl, temporalAddress, namespace: config.temporal.namespace, temporalUiUrl: temporal?.uiUrl, workerPid: worker.pid, apiPid: api.pid }, null, 2),
    { mode: 0o600 },
  );
  const lines = [
    '',
    `  Cauce is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    `  App          ${base}/`,
    `  API docs     ${base}/api/docs`,
    `  Temporal UI  ${temporal?.uiUrl ?? '(external Temporal: see your cluster)'}`,
    `  Admin key    ${adminKey}${config.adminKey ? '' : `   (kept in ${path.join(config.dataDir, 'admin.key')})`}`,
    '',
    '  Press Ctrl-C to stop. Your data stays in the data folder.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch(async (err) => {
  if (err instanceof ConfigError || !stopOnFailure) {
    console.error(`[cauce] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  await stopOnFailure(err);
});
