import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger, silentLogger } from './log';

/**
 * Finds the `temporal` CLI that runs the embedded dev server, in this order:
 *   1. TEMPORAL_CLI, 2. `temporal` on PATH, 3. a build cached by an earlier run,
 *   4. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` when Go is present,
 *   5. the TypeScript SDK's own download (needs the internet),
 *   6. otherwise an error that says how to install it.
 * v1.5.1 is pinned because later tags carry a `replace` directive that `go install` refuses.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export class TemporalCliNotFoundError extends Error {
  constructor(readonly attempts: string[]) {
    super(
      [
        'The Temporal CLI (`temporal`) was not found and could not be installed.',
        ...attempts.map((a) => `  - ${a}`),
        'Install it in one of these ways, then run the command again:',
        '  - Homebrew: brew install temporal',
        `  - Go: go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}  (puts it in $(go env GOPATH)/bin)`,
        '  - Download a release from the Temporal CLI releases page and set TEMPORAL_CLI=/path/to/temporal',
      ].join('\n'),
    );
    this.name = 'TemporalCliNotFoundError';
  }
}

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  cacheDir?: string;
  logger?: Logger;
  /** Allow the slow steps (go install, SDK download). Tests of the resolver turn them off. */
  allowInstall?: boolean;
  /** Injected for tests; defaults to the real implementations. */
  goInstall?: (binDir: string, logger: Logger) => Promise<void>;
  sdkDownload?: (downloadDir: string, logger: Logger) => Promise<string>;
}

export interface ResolvedCli {
  path: string;
  source: 'TEMPORAL_CLI' | 'PATH' | 'cache' | 'go install' | 'sdk download';
}

export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cauce', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function findInTree(dir: string, name: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && (entry.name === name || entry.name === `${name}.exe`) && isExecutable(full)) return full;
    if (entry.isDirectory()) {
      const found = findInTree(full, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Runs `go install` into binDir, printing progress because the first build takes minutes. */
export async function goInstallCli(binDir: string, logger: Logger): Promise<void> {
  fs.mkdirSync(binDir, { recursive: true });
  logger.info(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go. This happens once and takes 3 to 10 minutes...`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: binDir, GOFLAGS: process.env.GOFLAGS ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const ticker = setInterval(() => {
      logger.info(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)...`);
    }, 20_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install exited with code ${code}:\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
  logger.info(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s and cached in ${binDir}`);
}

/** Lets the SDK download the CLI (where the internet is reachable) into downloadDir. */
export async function sdkDownloadCli(downloadDir: string, logger: Logger): Promise<string> {
  logger.info('Downloading the Temporal CLI through the Temporal SDK...');
  fs.mkdirSync(downloadDir, { recursive: true });
  // Loaded lazily: the testing package pulls in the native core bridge, which only this path needs.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir }, ip: '127.0.0.1' },
  });
  await env.teardown();
  const found = findInTree(downloadDir, 'temporal');
  if (!found) throw new Error(`the SDK reported success but no temporal binary is in ${downloadDir}`);
  return found;
}

function acquireLock(lockDir: string, timeoutMs: number): () => void {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a dead process is stale.
      const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (pid > 0 && !processAlive(pid)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another process to install the Temporal CLI (${lockDir})`);
      spawnSync('sleep', ['1']);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<ResolvedCli> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const attempts: string[] = [];

  const fromEnv = env.TEMPORAL_CLI?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'TEMPORAL_CLI' };
    // An explicit setting that points nowhere is a configuration error, not a reason to build.
    throw new Error(`Invalid configuration: TEMPORAL_CLI points to "${fromEnv}", which is not an executable file`);
  }
  attempts.push('TEMPORAL_CLI is not set');

  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  attempts.push('`temporal` is not on PATH');

  const cached = path.join(cacheDir, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  attempts.push(`no cached build in ${cacheDir}`);

  if (options.allowInstall === false) throw new TemporalCliNotFoundError(attempts);

  const release = acquireLock(path.join(cacheDir, '..', `.lock-temporal-cli-${TEMPORAL_CLI_VERSION}`), 30 * 60_000);
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (isExecutable(cached)) return { path: cached, source: 'cache' };
    const goPresent = findOnPath('go', env) !== undefined;
    if (goPresent) {
      const staging = fs.mkdtempSync(path.join(path.dirname(cacheDir), '.build-'));
      try {
        await (options.goInstall ?? goInstallCli)(staging, logger);
        const built = path.join(staging, 'temporal');
        if (!isExecutable(built)) throw new Error('go install finished but produced no temporal binary');
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.renameSync(built, cached);
        return { path: cached, source: 'go install' };
      } catch (err) {
        attempts.push(`go install failed: ${(err as Error).message}`);
        logger.warn(`go install of the Temporal CLI failed; trying the SDK download next`);
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    } else {
      attempts.push('Go is not installed, so the CLI cannot be built from source');
    }
    try {
      const downloaded = await (options.sdkDownload ?? sdkDownloadCli)(path.join(cacheDir, 'sdk-download'), logger);
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.copyFileSync(downloaded, cached);
      fs.chmodSync(cached, 0o755);
      return { path: cached, source: 'sdk download' };
    } catch (err) {
      attempts.push(`the SDK download failed: ${(err as Error).message.split('\n')[0]}`);
    }
  } finally {
    release();
  }
  throw new TemporalCliNotFoundError(attempts);
}
