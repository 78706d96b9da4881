import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { Logger } from './log';
import { EmbeddedPostgres, startEmbeddedPostgres } from './postgres';
import { isRunning } from './processes';
import { forkApp, ProcessHandle, Supervised } from './supervisor';
import { startTemporalDevServer, TemporalDevServer } from './temporal-server';

/**
 * The launcher's supervision with real processes: a forked Node app, the embedded PostgreSQL and the
 * Temporal dev server are each killed with SIGKILL, as a crash or the OOM killer would, and must come
 * back by themselves (the servers on the same port, with their data), with the reason logged.
 */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Supervised (real processes killed with SIGKILL)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-supervisor-'));
  const stops: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('restarts a crashed app with growing, capped delays, says why, and stops for good when asked', async () => {
    const entry = path.join(root, 'app.js');
    fs.writeFileSync(entry, 'setInterval(() => undefined, 1000);');
    const logger = recordingLogger();
    const started: number[] = [];
    const app = new Supervised('app', forkApp(entry, process.env, 2000), logger, {
      backoff: { initialMs: 200, maxMs: 400 },
      onStarted: (h: ProcessHandle) => started.push(h.pid!),
    });
    stops.push(() => app.stop());
    await app.start();

    for (const expectedDelay of [200, 400, 400]) {
      const pid = app.pid!;
      process.kill(pid, 'SIGKILL');
      await until('a restart', () => app.pid !== undefined && app.pid !== pid);
      expect(logger.lines.join('\n')).toContain(`app (pid ${pid}) exited unexpectedly`);
      expect(logger.lines.join('\n')).toContain(`(killed by SIGKILL); restarting in ${expectedDelay} ms`);
      expect(isRunning(app.pid!)).toBe(true);
    }
    expect(started).toHaveLength(4);
    expect(app.restartCount).toBe(3);
    expect(logger.lines.filter((l) => /^info app restarted \(pid \d+\)/.test(l))).toHaveLength(3);

    const last = app.pid!;
    await app.stop();
    expect(isRunning(last)).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    expect(app.pid).toBeUndefined();
    expect(started).toHaveLength(4);
  });

  it('keeps retrying a restart that fails (a port still taken, a server not ready) and does not restart after stop()', async () => {
    const entry = path.join(root, 'app2.js');
    fs.writeFileSync(entry, 'setInterval(() => undefined, 1000);');
    const logger = recordingLogger();
    let attempts = 0;
    const fork = forkApp(entry, process.env, 2000);
    const app = new Supervised(
      'flaky',
      async () => {
        attempts++;
        // The first start works; the next two fail as a server that cannot bind its port would.
        if (attempts === 2 || attempts === 3) throw new Error(`port 1234 is taken (attempt ${attempts})\nmore detail`);
        return fork();
      },
      logger,
      { backoff: { initialMs: 100, maxMs: 1000 } },
    );
    stops.push(() => app.stop());
    await app.start();
    const pid = app.pid!;
    process.kill(pid, 'SIGKILL');
    await until('a restart after two failed attempts', () => app.pid !== undefined && app.pid !== pid);
    expect(attempts).toBe(4);
    const log = logger.lines.join('\n');
    expect(log).toContain('warn flaky did not start again: port 1234 is taken (attempt 2); retrying in 200 ms');
    expect(log).toContain('warn flaky did not start again: port 1234 is taken (attempt 3); retrying in 400 ms');
    expect(log).not.toContain('more detail');

    await app.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toBe(4);
  });

  // Durable settings (no unsafeFast): a commit acknowledged before the crash must survive it.
  it('brings PostgreSQL back on the same port with its data after a kill -9 of the postmaster', async () => {
    const logger = recordingLogger();
    let port: number | undefined;
    const postgres = new Supervised<EmbeddedPostgres>(
      'PostgreSQL',
      async () => {
        const pg = await startEmbeddedPostgres({ dir: path.join(root, 'postgres'), port, detached: true });
        port = pg.port;
        return pg;
      },
      logger,
      { backoff: { initialMs: 200 } },
    );
    const first = await postgres.start();
    stops.push(() => postgres.stop());
    const query = async (sql: string) => {
      const client = new PgClient({ connectionString: first.url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    await query(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('before the crash')`);

    const pid = postgres.pid!;
    process.kill(pid, 'SIGKILL');
    await until('PostgreSQL back', () => postgres.pid !== undefined && postgres.pid !== pid);
    // Same URL as before: clients built from the first start reconnect without a change.
    expect(await until('a query', () => query('SELECT note FROM kept').catch(() => undefined))).toEqual([{ note: 'before the crash' }]);
    expect(logger.lines.join('\n')).toMatch(new RegExp(`PostgreSQL \\(pid ${pid}\\) exited unexpectedly .*killed by SIGKILL`));
    expect(logger.lines.join('\n')).toMatch(/info PostgreSQL restarted \(pid \d+\)/);

    const restarted = postgres.pid!;
    await postgres.stop();
    expect(isRunning(restarted)).toBe(false);
  });

  it('brings the Temporal dev server back on the same address with its workflows after a kill -9', async () => {
    const logger = recordingLogger();
    let ports: TemporalDevServer['ports'] | undefined;
    const temporal = new Supervised<TemporalDevServer>(
      'Temporal dev server',
      async () => {
        const server = await startTemporalDevServer({
          cliPath: testInfra().temporalCli,
          dataDir: path.join(root, 'temporal'),
          ui: false,
          detached: true,
          ...(ports ? { port: ports.grpc, httpPort: ports.http, metricsPort: ports.metrics } : {}),
        });
        ports = server.ports;
        return server;
      },
      logger,
      { backoff: { initialMs: 200 } },
    );
    const first = await temporal.start();
    stops.push(() => temporal.stop());
    const workflowId = uniqueId('survives');
    const connection = await Connection.connect({ address: first.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    // No worker polls this queue: the workflow stays open across the crash.
    await client.workflow.start('waitsForever', { taskQueue: uniqueId('nobody'), workflowId });

    const pid = temporal.pid!;
    process.kill(pid, 'SIGKILL');
    await until('Temporal back', () => temporal.pid !== undefined && temporal.pid !== pid);
    expect(temporal.current!.address).toBe(first.address);
    // The client made before the crash reconnects by itself.
    const description = await until('a describe', () =>
      client.workflow
        .getHandle(workflowId)
        .describe()
        .catch(() => undefined),
    );
    expect(description.status.name).toBe('RUNNING');
    expect(logger.lines.join('\n')).toMatch(new RegExp(`Temporal dev server \\(pid ${pid}\\) exited unexpectedly .*killed by SIGKILL`));
  });
});
