import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig, redact } from '../../libs/config/config';
import { runMigrations } from '../../libs/db/data-source';
import { consoleLogger } from '../../libs/runtime/log';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../../libs/runtime/postgres';
import { newAdminKey, newSecretsKey, readOrCreateKey } from '../../libs/runtime/secrets';
import { forkApp, Supervised } from '../../libs/runtime/supervisor';
import { resolveTemporalCli } from '../../libs/runtime/temporal-cli';
import { startTemporalDevServer, TemporalDevServer } from '../../libs/runtime/temporal-server';
import { seedDemo } from './demo-seed';

/**
 * `npm start`: the whole stack on one machine. Embedded PostgreSQL and the Temporal dev server
 * (unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), migrations, the worker and the API
 * with the built editor, each supervised: a process that dies is restarted with backoff. Ctrl-C
 * stops everything in order; the data folder keeps the state for next time.
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

  let postgres: Supervised<EmbeddedPostgres> | undefined;
  let temporal: Supervised<TemporalDevServer> | undefined;
  let worker: Supervised | undefined;
  let api: Supervised | undefined;
  const stackFile = path.join(config.dataDir, 'run', 'stack.json');
  let stackInfo: Record<string, unknown> | undefined;
  // What tools (benchmarks, tests, the fault suite) need to reach this stack's servers; rewritten
  // whenever a supervised process restarts, so its pids stay current.
  const writeStackFile = () => {
    if (!stackInfo || shuttingDown) return;
    const pids = { workerPid: worker?.pid, apiPid: api?.pid, temporalPid: temporal?.pid, postgresPid: postgres?.pid };
    fs.writeFileSync(stackFile, JSON.stringify({ ...stackInfo, ...pids }, null, 2), { mode: 0o600 });
  };

  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Nothing restarts from here on, whichever process exits first.
    for (const s of [api, worker, temporal, postgres]) s?.markStopping();
    fs.rmSync(stackFile, { force: true });
    // The order matters: the API stops taking requests and finishes the chat turns in flight, then
    // the worker drains, and only then go Temporal and PostgreSQL, which both still need.
    log.info(`${reason}: stopping the API (in-flight requests finish), then the worker, then Temporal and PostgreSQL...`);
    const step = async (what: string, stop: (() => Promise<void>) | undefined) => {
      if (!stop) return;
      const t = Date.now();
      await stop().catch((err) => log.warn(`${what} did not stop cleanly: ${(err as Error).message}`));
      log.info(`${what} stopped (${Date.now() - t} ms)`);
    };
    await step('API', api && (() => api!.stop()));
    await step('worker', worker && (() => worker!.stop()));
    await Promise.all([step('Temporal', temporal && (() => temporal!.stop())), step('PostgreSQL', postgres && (() => postgres!.stop()))]);
    log.info('stopped. The data stays in ' + config.dataDir);
    process.exit(exitCode);
  };
  // Ctrl-C in a terminal sends SIGINT to the whole foreground process group. The API and the worker
  // leave SIGINT to the launcher (they stop on its SIGTERM) and the embedded servers run in groups
  // of their own, so nothing dies out of order and nothing is mistaken for a crash.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(`${signal} received`, 0));
  stopOnFailure = (err) => shutdown(`failed to start: ${err instanceof Error ? err.message : String(err)}`, 1);

  const [databaseUrl, temporalAddress] = await Promise.all([
    (async () => {
      if (config.databaseUrl) {
        log.info(`using PostgreSQL at ${redact(config.databaseUrl)}`);
        return config.databaseUrl;
      }
      log.info('starting the embedded PostgreSQL...');
      let port: number | undefined;
      postgres = new Supervised(
        'PostgreSQL',
        async () => {
          // A restart takes the same port: the API and the worker keep their DATABASE_URL.
          const pg = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), logger: consoleLogger('postgres'), detached: true, port });
          port = pg.port;
          return pg;
        },
        log,
        { onStarted: writeStackFile },
      );
      return (await postgres.start()).url;
    })(),
    (async () => {
      if (config.temporal.address) {
        log.info(`using Temporal at ${config.temporal.address}, namespace ${config.temporal.namespace}`);
        return config.temporal.address;
      }
      const cli = await resolveTemporalCli({ logger: consoleLogger('temporal'), env: process.env });
      log.info(`starting the Temporal dev server (${cli.path}, from ${cli.source})...`);
      let ports: TemporalDevServer['ports'] | undefined;
      temporal = new Supervised(
        'Temporal dev server',
        async () => {
          // Same ports on a restart: clients keep the address, the UI keeps its URL.
          const server = await startTemporalDevServer({
            cliPath: cli.path,
            dataDir: path.join(config.dataDir, 'temporal'),
            namespace: config.temporal.namespace,
            logger: consoleLogger('temporal'),
            detached: true,
            ...(ports ? { port: ports.grpc, uiPort: ports.ui, httpPort: ports.http, metricsPort: ports.metrics } : {}),
          });
          ports = server.ports;
          return server;
        },
        log,
        { onStarted: writeStackFile },
      );
      return (await temporal.start()).address;
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
  worker = new Supervised('worker', forkApp(path.resolve(__dirname, '../worker/main.js'), env), log, { onStarted: writeStackFile });
  // The API's own drain (in-flight chat turns) ends well before the launcher's SIGKILL.
  api = new Supervised('API', forkApp(path.resolve(__dirname, '../api/main.js'), env, 45_000), log, { onStarted: writeStackFile });
  await Promise.all([worker.start(), api.start()]);

  const base = `http://127.0.0.1:${config.port}`;
  await waitForHealth(`${base}/api/health`, 120_000);
  if (config.demo) {
    // A failed seed is told, never fatal: the install works without its examples.
    await seedDemo({ baseUrl: base, adminKey, dataDir: config.dataDir, log }).catch((err) =>
      log.warn(`the example flows and help centre were not added: ${(err as Error).message}`),
    );
  }
  const temporalUiUrl = temporal?.current?.uiUrl;
  stackInfo = { pid: process.pid, apiUrl: base, databaseUrl, temporalAddress, namespace: config.temporal.namespace, temporalUiUrl };
  writeStackFile();
  const lines = [
    '',
    `  Cauce is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    `  App          ${base}/`,
    `  API docs     ${base}/api/docs`,
    `  Temporal UI  ${temporalUiUrl ?? '(external Temporal: see your cluster)'}`,
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
