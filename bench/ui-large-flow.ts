/**
 * The editor with a 300-node flow, in a real browser: how long it takes to open (fetch, render,
 * first paint of the canvas), to auto-lay out (dagre, in the layout worker) and to validate (the
 * flow language's validateFlow, in the validation worker) — and the longest main-thread task in
 * each phase, which is what a person sees as a stall.
 *
 *   npm run build && node dist/bench/ui-large-flow.js [--nodes 300] [--runs 3]
 *   node dist/bench/ui-large-flow.js --url http://127.0.0.1:3000 --key <admin key>   (against a running stack)
 *
 * Without --url it starts an embedded PostgreSQL and Temporal dev server and the API in-process,
 * serving the built editor (dist/ui). The browser is Debian's /usr/bin/chromium (CHROMIUM to change).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FlowDefinition, FlowEdge, FlowNode } from '../workflows/language/types';

/**
 * A valid flow of `total` nodes shaped like a long support script: blocks of message → ask →
 * condition → (set variables | notify → set variables), every ask with a timeout to one shared
 * "abandoned" end, so the graph has branches, merges and long edges. Positions: one column.
 */
export function largeFlow(total = 300): FlowDefinition {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const add = (id: string, type: string, data: Record<string, unknown>) =>
    nodes.push({ id, type, position: { x: (nodes.length % 3) * 280, y: Math.floor(nodes.length / 3) * 150 }, data });
  const link = (source: string, branch: string, target: string) =>
    edges.push({ id: `${source}.${branch}->${target}`, source, sourceHandle: branch, target, targetHandle: 'in' });
  add('start', 'start', { trigger: 'message', channel: 'chat', label: 'Mensaje entrante' });
  add('endOk', 'end', { outcome: 'resolved', label: 'Resuelto' });
  add('endAbandoned', 'end', { outcome: 'abandoned', label: 'Abandonado' });
  let prev = 'start';
  let i = 0;
  while (nodes.length + 5 <= total) {
    i++;
    add(`msg${i}`, 'message', { text: `Paso ${i}: hola {{ customer.name | default: "" }}` });
    add(`ask${i}`, 'ask', { text: '¿Seguimos?', variable: `r${i}`, timeout: '1h' });
    add(`cond${i}`, 'condition', { rule: { contains: [{ var: `vars.r${i}` }, 'sí'] } });
    add(`set${i}`, 'setVariables', { assignments: [{ variable: `score${i}`, template: `{{ vars.r${i} }}` }] });
    add(`notify${i}`, 'notify', { channel: 'email', to: 'equipo@example.com', text: `El cliente dijo no en el paso ${i}` });
    link(prev, 'next', `msg${i}`);
    link(`msg${i}`, 'next', `ask${i}`);
    link(`ask${i}`, 'reply', `cond${i}`);
    link(`ask${i}`, 'timeout', 'endAbandoned');
    link(`cond${i}`, 'true', `set${i}`);
    link(`cond${i}`, 'false', `notify${i}`);
    link(`notify${i}`, 'next', `set${i}`);
    link(`notify${i}`, 'error', `set${i}`);
    prev = `set${i}`;
  }
  for (let j = 1; nodes.length < total; j++) {
    add(`tail${j}`, 'message', { text: `Gracias (${j})` });
    link(prev, 'next', `tail${j}`);
    prev = `tail${j}`;
  }
  link(prev, 'next', 'endOk');
  return { nodes, edges };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

interface Measures {
  openMs: number;
  openFromNavigationMs: number;
  openCompleteMs: number;
  openValidatedMs: number;
  openLongestTaskMs: number;
  layoutMs: number;
  layoutLongestTaskMs: number;
  validateMs: number;
  validateWorkerMs: number;
  editLongestTaskMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => `${Math.round(x)} ms`;

async function startStack(): Promise<{ base: string; key: string; stop: () => Promise<void> }> {
  // Loaded by name at run time: the editor's tests import largeFlow() from this file, and must not
  // pull the server (and its decorators) into the UI's type check.
  const load = (m: string): Promise<any> => import(m); // eslint-disable-line @typescript-eslint/no-explicit-any
  const { startEmbeddedPostgres } = await load('../libs/runtime/postgres');
  const { startTemporalDevServer } = await load('../libs/runtime/temporal-server');
  const { resolveTemporalCli } = await load('../libs/runtime/temporal-cli');
  const { runMigrations } = await load('../libs/db/data-source');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-ui-bench-'));
  const cli = await resolveTemporalCli();
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(dir, 'postgres') }),
    startTemporalDevServer({ cliPath: cli.path, dataDir: path.join(dir, 'temporal'), ui: false }),
  ]);
  await runMigrations(pg.url);
  const key = `bench-admin-${Date.now()}`;
  Object.assign(process.env, {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'ui-bench',
    CAUCE_ADMIN_KEY: key,
    CAUCE_RATE_LIMIT: '1000',
    CAUCE_UI_DIR: process.env.CAUCE_UI_DIR ?? path.resolve(__dirname, '../ui'),
  });
  const { createApiApp } = await load('../apps/api/app.factory');
  const app = await createApiApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}`.replace('[::1]', '127.0.0.1');
  return {
    base,
    key,
    stop: async () => {
      await app.close();
      await temporal.stop();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const total = Number(arg('nodes') ?? 300);
  const runs = Number(arg('runs') ?? 3);
  const stack = arg('url')
    ? { base: arg('url')!.replace(/\/$/, ''), key: arg('key') ?? process.env.CAUCE_ADMIN_KEY ?? '', stop: async () => undefined }
    : await startStack();
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${stack.base}/api${p}`, {
      method,
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const definition = largeFlow(total);
  const flow = (await api('POST', '/flows', { name: `Benchmark ${total} nodos`, definition })) as { id: string };

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const results: Measures[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      // Runs in the page: sign in, and record every long task (main-thread work over 50 ms).
      await context.addInitScript(
        (session: string) => {
          const w = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
          w.sessionStorage.setItem('cauce.session', session);
          w.__longTasks = [];
          new w.PerformanceObserver((list: { getEntries(): { startTime: number; duration: number }[] }) => {
            for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
          }).observe({ type: 'longtask', buffered: true });
        },
        JSON.stringify({ key: stack.key, role: 'admin' }),
      );
      const page = await context.newPage();
      const longest = (from: number, to = Infinity) =>
        page.evaluate(
          ([a, b]) =>
            Math.max(
              0,
              ...(globalThis as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
                .filter((t) => t.start >= a && t.start < b)
                .map((t) => t.duration),
            ),
          [from, to],
        );
      const measure = (name: string) =>
        page.evaluate(
          (n) =>
            performance
              .getEntriesByName(n, 'measure')
              .map((m) => ({ duration: m.duration, start: m.startTime, detail: (m as unknown as { detail: unknown }).detail })),
          name,
        );

      // Open.
      await page.goto(`${stack.base}/flows/${flow.id}`);
      await page.waitForSelector('[data-testid=canvas][data-ready=true]', { timeout: 120_000 });
      const readyAt = await page.evaluate(() => performance.now());
      await page.waitForFunction(() => performance.getEntriesByName('cauce:open-validated').length > 0, null, { timeout: 60_000 });
      await page.waitForFunction(() => performance.getEntriesByName('cauce:open-complete').length > 0, null, { timeout: 60_000 });
      const open = (await measure('cauce:open'))[0];
      const openComplete = (await measure('cauce:open-complete'))[0];
      const settledAt = await page.evaluate(() => performance.now());
      const openValidated = (await measure('cauce:open-validated'))[0];
      const openLongest = await longest(0, settledAt);

      // Auto-layout.
      await page.waitForTimeout(300);
      const layoutFrom = await page.evaluate(() => performance.now());
      await page.click('[data-testid=auto-layout]');
      await page.waitForSelector('[data-testid=canvas][data-layout=done]', { timeout: 120_000 });
      const layout = (await measure('cauce:layout')).pop()!;
      const layoutLongest = await longest(layoutFrom);

      // An edit: every keystroke re-validates the whole flow (in the worker).
      await page.waitForTimeout(300);
      await page.click('[data-testid=node-msg1]');
      await page.waitForSelector('[data-testid=node-label]');
      const before = (await measure('cauce:validate')).length;
      const editFrom = await page.evaluate(() => performance.now());
      await page.type('[data-testid=node-label]', 'Saludo', { delay: 30 });
      await page.waitForFunction((n) => performance.getEntriesByName('cauce:validate').length > n, before, { timeout: 30_000 });
      await page.waitForTimeout(400);
      const validations = (await measure('cauce:validate')).slice(before);
      const editLongest = await longest(editFrom);

      results.push({
        openMs: open.duration,
        openFromNavigationMs: readyAt,
        openCompleteMs: openComplete.duration,
        openValidatedMs: openValidated.duration,
        openLongestTaskMs: openLongest,
        layoutMs: layout.duration,
        layoutLongestTaskMs: layoutLongest,
        validateMs: median(validations.map((v) => v.duration)),
        validateWorkerMs: median(validations.map((v) => Number((v.detail as { workerMs?: number } | null)?.workerMs ?? NaN))),
        editLongestTaskMs: editLongest,
      });
      if (r === runs - 1 && process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT });
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }

  const col = (k: keyof Measures) => `${fmt(median(results.map((x) => x[k])))} (max ${fmt(Math.max(...results.map((x) => x[k])))})`;
  console.log(
    `\neditor with a ${total}-node flow (${definition.edges.length} edges), ${runs} runs, headless Chromium, ${os.cpus().length} cores; median (max)`,
  );
  console.log(`  open: editor mounted → canvas painted        ${col('openMs')}`);
  console.log(`  open: navigation → canvas painted            ${col('openFromNavigationMs')}`);
  console.log(`  open: → every node mounted                   ${col('openCompleteMs')}`);
  console.log(`  open: → first validation shown               ${col('openValidatedMs')}`);
  console.log(`  open: longest main-thread task               ${col('openLongestTaskMs')}`);
  console.log(`  layout: click → laid out and painted         ${col('layoutMs')}`);
  console.log(`  layout: longest main-thread task             ${col('layoutLongestTaskMs')}`);
  console.log(`  validate: edit → problems updated            ${col('validateMs')}`);
  console.log(`  validate: validateFlow in the worker         ${col('validateWorkerMs')}`);
  console.log(`  validate: longest main-thread task (typing)  ${col('editLongestTaskMs')}`);
  console.log(`command: node dist/bench/ui-large-flow.js --nodes ${total} --runs ${runs}${arg('url') ? ` --url ${arg('url')}` : ''}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
