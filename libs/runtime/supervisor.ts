import { ChildProcess, fork } from 'node:child_process';
import { Logger } from './log';

/** How a supervised process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running instance of a supervised process. */
export interface ProcessHandle {
  pid?: number;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<ExitInfo>;
  /** Stops it on purpose and resolves once it has exited. */
  stop(): Promise<void>;
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export interface BackoffOptions {
  /** The first restart's delay. */
  initialMs?: number;
  /** No delay grows beyond this. */
  maxMs?: number;
  /** A process that ran this long before it died counts as healthy: the next delay starts over. */
  stableMs?: number;
}

/**
 * Exponential restart delays, capped: a crash-looping process costs little, while the first restart
 * after a long healthy run is quick.
 */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly stableMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.stableMs = options.stableMs ?? 60_000;
  }

  /** The delay before the next attempt, given how long the last one lived. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.stableMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    return delay;
  }
}

export interface SupervisedOptions {
  backoff?: BackoffOptions;
  /** Called after every successful (re)start, e.g. to publish the new pid. */
  onStarted?: (handle: ProcessHandle, restarts: number) => void;
}

/**
 * Keeps one process running: the API, the worker, the embedded PostgreSQL or the Temporal dev
 * server. When it dies without being asked to, the supervisor logs why (exit code or signal) and
 * starts it again after a capped exponential backoff; a start that fails is retried the same way.
 * Everything durable lives in PostgreSQL and Temporal, so a restarted process resumes the work.
 */
export class Supervised<H extends ProcessHandle = ProcessHandle> {
  private handle?: H;
  private stopping = false;
  private restarts = 0;
  private retryTimer?: NodeJS.Timeout;
  /** A restart under way: stop() waits for it, so nothing starts behind the launcher's back. */
  private launching?: Promise<H>;
  private readonly backoff: Backoff;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<H>,
    private readonly logger: Logger,
    private readonly options: SupervisedOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  /** The first start: a failure here is the caller's (the launcher refuses to start). */
  async start(): Promise<H> {
    const handle = await this.launch();
    this.adopt(handle, Date.now());
    return handle;
  }

  get current(): H | undefined {
    return this.handle;
  }

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /**
   * From now on an exit is expected and nothing restarts. The launcher calls this on every process
   * as soon as shutdown begins, before it stops them one by one in order.
   */
  markStopping(): void {
    this.stopping = true;
    clearTimeout(this.retryTimer);
  }

  async stop(): Promise<void> {
    this.markStopping();
    const starting = await this.launching?.catch(() => undefined);
    await starting?.stop();
    const handle = this.handle;
    if (handle) await handle.stop();
  }

  private adopt(handle: H, startedAt: number): void {
    this.handle = handle;
    this.options.onStarted?.(handle, this.restarts);
    void handle.exited.then((exit) => {
      if (this.handle === handle) this.handle = undefined;
      if (this.stopping) return;
      const uptime = Date.now() - startedAt;
      const delay = this.backoff.next(uptime);
      this.logger.warn(
        `${this.name} (pid ${handle.pid}) exited unexpectedly after ${(uptime / 1000).toFixed(1)} s (${describeExit(exit)}); restarting in ${delay} ms`,
      );
      this.scheduleRestart(delay, Date.now());
    });
  }

  private scheduleRestart(delay: number, downSince: number): void {
    this.retryTimer = setTimeout(() => void this.restart(downSince), delay);
  }

  private async restart(downSince: number): Promise<void> {
    if (this.stopping) return;
    const attemptAt = Date.now();
    try {
      this.launching = this.launch();
      const handle = await this.launching;
      if (this.stopping) {
        await handle.stop();
        return;
      }
      this.restarts++;
      this.logger.info(`${this.name} restarted (pid ${handle.pid}), ${((Date.now() - downSince) / 1000).toFixed(1)} s after it went down`);
      this.adopt(handle, Date.now());
    } catch (err) {
      if (this.stopping) return;
      const delay = this.backoff.next(Date.now() - attemptAt);
      this.logger.warn(`${this.name} did not start again: ${firstLine(err)}; retrying in ${delay} ms`);
      this.scheduleRestart(delay, downSince);
    } finally {
      this.launching = undefined;
    }
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * Forks a Node app (the API or the worker) with an IPC channel, which tells the child it is
 * supervised (it then leaves SIGINT to the launcher) and lets it notice when the launcher is gone.
 * Stopping sends SIGTERM and, after `stopTimeoutMs`, SIGKILL.
 */
export function forkApp(entry: string, env: NodeJS.ProcessEnv, stopTimeoutMs = 30_000): () => Promise<ProcessHandle> {
  return async () => {
    const child: ChildProcess = fork(entry, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // A fork that cannot even spawn reports it through 'error'; the exit above still follows.
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      exited,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      },
    };
  };
}
