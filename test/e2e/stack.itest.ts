import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { freePort } from '../../libs/runtime/ports';
import { uniqueId } from '../infra';

/**
 * `npm start` as a user runs it: the built launcher with its own data folder and port, stopped with
 * Ctrl-C (SIGINT) and started again. The database rows, the Temporal workflows and the admin key
 * must all still be there.
 */
const launcher = path.resolve(__dirname, '../../dist/apps/launcher/main.js');

interface Stack {
  child: ChildProcess;
  output: () => string;
  info: { apiUrl: string; databaseUrl: string; temporalAddress: string; namespace: string };
}

async function startStack(dataDir: string, port: number): Promise<Stack> {
  let output = '';
  const child = spawn(process.execPath, [launcher], {
    env: { ...process.env, PORT: String(port), CAUCE_DATA_DIR: dataDir, CAUCE_ADMIN_KEY: '', DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const stackFile = path.join(dataDir, 'run', 'stack.json');
  const deadline = Date.now() + 90_000;
  while (!output.includes('Cauce is running')) {
    if (child.exitCode !== null) throw new Error(`the launcher exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the launcher did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output, info: JSON.parse(fs.readFileSync(stackFile, 'utf8')) };
}

async function stopStack(stack: Stack): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => stack.child.on('exit', (code) => resolve(code)));
  stack.child.kill('SIGINT');
  return exited;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the built launcher)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-stack-'));
  let stack: Stack | undefined;

  beforeAll(() => {
    if (!fs.existsSync(launcher)) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  });

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) await stopStack(stack);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything, prints the URLs and the admin key, and keeps data across a restart', async () => {
    const port = await freePort();
    stack = await startStack(dataDir, port);
    const first = stack.output();
    const adminKey = fs.readFileSync(path.join(dataDir, 'admin.key'), 'utf8').trim();
    expect(first).toContain(`App          http://127.0.0.1:${port}/`);
    expect(first).toContain(`API docs     http://127.0.0.1:${port}/api/docs`);
    expect(first).toMatch(/Temporal UI {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(first).toContain(`Admin key    ${adminKey}`);

    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', checks: { database: { status: 'up' }, temporal: { status: 'up' }, worker: { status: 'up' } } });
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<div id="root">');

    // A first start with an empty data folder: the example journeys as drafts, the support one
    // published, and the help centre in the support example's collection (apps/launcher/demo-seed.ts).
    const api = async (route: string) =>
      (await (await fetch(`http://127.0.0.1:${port}/api${route}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as {
        items: { name: string; status: string; title: string; locale: string | null }[];
      };
    expect(first).toContain('a first start: 4 example flows');
    const seeded = (await api('/flows?limit=50')).items;
    expect(seeded.map((f) => f.name).sort()).toEqual([
      'Ejemplo: carrito abandonado',
      'Ejemplo: experimento A/B',
      'Ejemplo: riesgo de baja',
      'Ejemplo: triaje de soporte',
    ]);
    expect(seeded.filter((f) => f.status === 'published').map((f) => f.name)).toEqual(['Ejemplo: triaje de soporte']);
    const articles = (await api('/knowledge?collection=support&limit=100')).items;
    expect(articles.length).toBeGreaterThanOrEqual(20);
    expect(new Set(articles.map((a) => a.locale))).toEqual(new Set(['es', 'en']));

    // Leave a row in PostgreSQL and an open workflow in Temporal.
    const pg = new PgClient({ connectionString: stack.info.databaseUrl });
    await pg.connect();
    const inserted = await pg.query(`INSERT INTO flows (name, draft) VALUES ('Persistencia', '{"nodes":[],"edges":[]}') RETURNING id`);
    await pg.end();
    const connection = await Connection.connect({ address: stack.info.temporalAddress });
    const workflowId = uniqueId('persisted');
    // No worker polls this queue, so the workflow stays open across the restart.
    await new Client({ connection }).workflow.start('waitsForever', { taskQueue: uniqueId('nobody'), workflowId });
    await connection.close();

    const pids = [stack.child.pid!, Number(fs.readFileSync(path.join(dataDir, 'temporal', 'run', 'temporal.pid'), 'utf8'))];
    expect(await stopStack(stack)).toBe(0);
    expect(stack.output()).toContain('stopped. The data stays in');
    await new Promise((r) => setTimeout(r, 500));
    expect(pids.filter(alive)).toEqual([]);

    stack = await startStack(dataDir, port);
    expect(stack.output()).toContain(`Admin key    ${adminKey}`);
    expect(stack.output()).toContain('database schema is up to date');
    const pg2 = new PgClient({ connectionString: stack.info.databaseUrl });
    await pg2.connect();
    const rows = await pg2.query('SELECT name FROM flows WHERE id = $1', [inserted.rows[0].id]);
    await pg2.end();
    expect(rows.rows).toEqual([{ name: 'Persistencia' }]);
    // Seeded once per data folder: no second copy of the examples.
    expect(stack.output()).not.toContain('a first start');
    expect((await api('/flows?limit=50')).items).toHaveLength(5);
    const connection2 = await Connection.connect({ address: stack.info.temporalAddress });
    const description = await new Client({ connection: connection2 }).workflow.getHandle(workflowId).describe();
    await connection2.close();
    expect(description.status.name).toBe('RUNNING');
    expect(await stopStack(stack)).toBe(0);
  }, 240_000);

  it('fails at start with a message that names a bad variable', async () => {
    const child = spawn(process.execPath, [launcher], { env: { ...process.env, PORT: 'eighty', CAUCE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration: PORT must be a TCP port number');
  });
});
