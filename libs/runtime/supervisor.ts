import { ChildProcess, fork } from 'node:child_process';
import { Logger } from './log';

/**
 * Runs one app (the API or the worker) as a child process and restarts it if it crashes, with
 * backoff. Runs are durable in Temporal, so a restarted worker picks up where the old one was.
 */
export class Supervised {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private exitWaiters: (() => void)[] = [];

  constructor(
    private readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const started = Date.now();
    // IPC lets the child notice when the launcher is gone (it listens for 'disconnect').
    const child = fork(this.entry, [], { env: this.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    child.on('exit', (code, signal) => {
      this.child = undefined;
      this.exitWaiters.splice(0).forEach((w) => w());
      if (this.stopping) return;
      if (Date.now() - started > 60_000) this.restarts = 0;
      this.restarts++;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.restarts, 6));
      this.logger.warn(`${this.name} exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
      setTimeout(() => !this.stopping && this.start(), delay).unref();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Kills the child as a crash would; the supervisor restarts it. */
  crash(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
