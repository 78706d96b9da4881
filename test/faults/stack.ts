import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The built stack as `npm start` runs it (dist/apps/launcher/main.js), in a process group of its own
 * so that a SIGINT to the group is exactly a terminal's Ctrl-C.
 */
export const LAUNCHER = path.resolve(__dirname, '../../dist/apps/launcher/main.js');

export interface StackInfo {
  pid: number;
  apiUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  workerPid?: number;
  apiPid?: number;
  temporalPid?: number;
  postgresPid?: number;
}

export class LauncherProcess {
  private out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    child.stdout!.on('data', (c) => (this.out += c));
    child.stderr!.on('data', (c) => (this.out += c));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(dataDir: string, port: number, timeoutMs = 120_000): Promise<LauncherProcess> {
    if (!fs.existsSync(LAUNCHER)) throw new Error('dist/ is missing: run `npm run build:server` (npm run test:faults builds first)');
    const child = spawn(process.execPath, [LAUNCHER], {
      env: {
        ...process.env,
        PORT: String(port),
        CAUCE_DATA_DIR: dataDir,
        CAUCE_ADMIN_KEY: '',
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        // The load comes from one address and one key; the suite measures faults, not rate limits.
        CAUCE_RATE_LIMIT: '5000',
        CAUCE_IP_RATE_LIMIT: '5000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const launcher = new LauncherProcess(child, dataDir);
    const deadline = Date.now() + timeoutMs;
    while (!launcher.out.includes('Cauce is running')) {
      if (child.exitCode !== null) throw new Error(`the launcher exited during start:\n${launcher.out}`);
      if (Date.now() > deadline) throw new Error(`the launcher did not become ready:\n${launcher.out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return launcher;
  }

  get output(): string {
    return this.out;
  }

  /** The current pids and addresses; the launcher rewrites the file whenever a process restarts. */
  info(): StackInfo {
    return JSON.parse(fs.readFileSync(path.join(this.dataDir, 'run', 'stack.json'), 'utf8')) as StackInfo;
  }

  adminKey(): string {
    return fs.readFileSync(path.join(this.dataDir, 'admin.key'), 'utf8').trim();
  }

  /** Ctrl-C in a terminal: SIGINT to every process of the launcher's group. */
  interruptGroup(): void {
    process.kill(-this.child.pid!, 'SIGINT');
  }

  /** Last resort for a failed suite: nothing may outlive it. */
  killAll(): void {
    let info: StackInfo | undefined;
    try {
      info = this.info();
    } catch {
      // no stack file
    }
    for (const pid of [info?.temporalPid, info?.postgresPid]) if (pid) tryKill(pid, 'SIGKILL');
    if (this.child.exitCode === null) tryKill(-this.child.pid!, 'SIGKILL');
  }
}

export function tryKill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
