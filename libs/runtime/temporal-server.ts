import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { Logger, silentLogger } from './log';
import { freePorts } from './ports';
import { forgetPid, recordPid, stopLeftover } from './processes';
import { CAUCE_SEARCH_ATTRIBUTES } from './search-attributes';

export interface TemporalDevServerOptions {
  cliPath: string;
  /** Folder for the SQLite file; omit for an in-memory server (tests). */
  dataDir?: string;
  namespace?: string;
  port?: number;
  uiPort?: number;
  httpPort?: number;
  metricsPort?: number;
  /** Start the Temporal Web UI (on by default). */
  ui?: boolean;
  logger?: Logger;
  startTimeoutMs?: number;
  /**
   * Run in a process group of its own, so a Ctrl-C in the terminal (SIGINT to the whole foreground
   * group) does not stop it before the API and the worker; the launcher stops it last. A launcher
   * that exits still takes it along (an 'exit' hook), and a leftover is stopped at the next start.
   */
  detached?: boolean;
}

export interface TemporalDevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ChildProcess;
  pid?: number;
  /** The ports it listens on, so a restart can take the same ones (clients keep the address). */
  ports: { grpc: number; ui: number; http: number; metrics: number };
  /** Resolves when the server process has exited, whatever the reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` as a real child process, persisting to SQLite under dataDir,
 * registering Cauce's search attributes, and resolves once the frontend answers.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const logger = options.logger ?? silentLogger;
  const namespace = options.namespace ?? 'default';
  const [port, freeUiPort, freeHttpPort, freeMetricsPort] = await freePorts(4);
  const grpcPort = options.port ?? port;
  const uiPort = options.uiPort ?? freeUiPort;
  const httpPort = options.httpPort ?? freeHttpPort;
  const metricsPort = options.metricsPort ?? freeMetricsPort;
  const ui = options.ui ?? true;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(grpcPort),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--namespace',
    namespace,
    '--log-level',
    'error',
    // WAL keeps every commit durable against a crash of the process while making writes cheaper.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
  ];
  for (const [name, type] of Object.entries(CAUCE_SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  if (ui) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    await stopLeftover(options.dataDir, 'temporal', 'start-dev');
    args.push('--db-filename', path.join(options.dataDir, 'temporal.db'));
  }

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  if (options.dataDir && child.pid) recordPid(options.dataDir, 'temporal', child.pid);
  // A detached server outlives its parent unless told otherwise.
  const stopWithParent = () => child.kill('SIGTERM');
  if (options.detached) process.once('exit', stopWithParent);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      process.removeListener('exit', stopWithParent);
      if (options.dataDir) forgetPid(options.dataDir, 'temporal');
      resolve(exited);
    }),
  );

  const address = `127.0.0.1:${grpcPort}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      throw new Error(`the Temporal dev server exited during start (code ${exited.code}, signal ${exited.signal}):\n${output}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
      } finally {
        await connection.close();
      }
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the Temporal dev server did not answer on ${address} in time: ${(err as Error).message}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  logger.info(`Temporal dev server ready on ${address}`);

  return {
    address,
    namespace,
    uiUrl: ui ? `http://127.0.0.1:${uiPort}` : undefined,
    process: child,
    pid: child.pid,
    ports: { grpc: grpcPort, ui: uiPort, http: httpPort, metrics: metricsPort },
    exited: exitPromise,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
