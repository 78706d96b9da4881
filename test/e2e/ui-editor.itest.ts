/* eslint-disable @typescript-eslint/no-explicit-any */
// The editor end to end, in a real browser (Debian's Chromium driven by playwright-core) against
// the real stack: the API in-process serving the built editor, a real worker, Temporal and
// PostgreSQL. A CX lead (an editor key) drags a flow together from the palette, connects it,
// configures a rule, publishes it, talks to it in the simulator through an escalation, and finds it
// on the runs page and the dashboard. Screenshots land in test-artifacts/ui/.
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ApiHarness } from './api-harness';

const root = path.resolve(__dirname, '../..');
const uiDir = path.join(root, 'dist/ui');
const artifacts = path.join(root, 'test-artifacts/ui');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(
    0,
    ...fs
      .readdirSync(p)
      .filter((e) => e !== 'node_modules')
      .map((e) => newest(path.join(p, e))),
  );
}

/** Builds the editor when dist/ui is older than its sources (npm test builds first anyway). */
function ensureUiBuilt(): void {
  const built = newest(path.join(uiDir, 'index.html'));
  const sources = Math.max(newest(path.join(root, 'ui')), newest(path.join(root, 'workflows/language')));
  if (built >= sources) return;
  // NODE_ENV is "test" under Jest: the build must still be the production one.
  execSync('npx vite build --config ui/vite.config.ts', { cwd: root, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
}

describe('the editor in a browser (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  let browser: Browser;
  let page: Page;
  const flowName = `Atención con escalado ${Date.now()}`;
  let flowId = '';

  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });

  beforeAll(async () => {
    ensureUiBuilt();
    fs.mkdirSync(artifacts, { recursive: true });
    process.env.CAUCE_UI_DIR = uiDir;
    await h.setup({ worker: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h.teardown();
  });

  it('signs a CX lead in with an editor key, in Spanish', async () => {
    await page.goto(`${h.base}/`);
    await page.fill('[data-testid=api-key]', h.keys.editor);
    await shot('01-sign-in');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=role-badge]');
    expect(await page.textContent('[data-testid=role-badge]')).toBe('Edición');
    expect(await page.textContent('nav')).toBe('FlujosEjecucionesPanel');
    expect(page.url()).toBe(`${h.base}/flows`);
  });

  it('drags a flow together from the palette and connects its branches', async () => {
    await page.click('[data-testid=new-flow]');
    await page.fill('[data-testid=new-flow-name]', flowName);
    await page.click('.modal-footer .btn-primary');
    await page.waitForSelector('[data-testid=canvas][data-ready=true]');
    flowId = page.url().split('/').pop()!;
    // Room to work: the problems panel folds away while building.
    await page.click('.problems-toggle');
    const drop = (type: string, x: number, y: number) =>
      page.dragAndDrop(`[data-testid=palette-${type}]`, '[data-testid=canvas]', { targetPosition: { x, y } });
    await drop('ask', 420, 200);
    await drop('condition', 420, 310);
    await drop('escalate', 220, 420);
    await drop('message', 620, 420);
    await drop('end', 220, 540);
    await drop('end', 620, 540);
    for (const id of ['ask_1', 'condition_1', 'escalate_1', 'message_1', 'end_1', 'end_2']) await page.waitForSelector(`[data-testid=node-${id}]`);

    const connect = (source: string, branch: string, target: string) =>
      page.dragAndDrop(`[data-testid=node-${source}] [data-handleid="${branch}"]`, `[data-testid=node-${target}] [data-handleid=in]`);
    await connect('start', 'next', 'ask_1');
    await connect('ask_1', 'reply', 'condition_1');
    await connect('condition_1', 'true', 'escalate_1');
    await connect('condition_1', 'false', 'message_1');
    await connect('escalate_1', 'resolved', 'end_1');
    await connect('escalate_1', 'returned', 'end_1');
    await connect('escalate_1', 'unresolved', 'end_1');
    await connect('message_1', 'next', 'end_2');
    await page.click('.problems-toggle');
    await page.waitForSelector('[data-testid=error-count]:text-is("0 errores")');
    expect(await page.locator('.react-flow__edge').count()).toBe(8);
    await page.click('[data-testid=auto-layout]');
    await page.waitForSelector('[data-testid=canvas][data-layout=done]');
    await shot('02-editor-built');
  });

  it('configures the condition with the visual rule builder and names the end', async () => {
    await page.click('[data-testid=node-condition_1]');
    await page.waitForSelector('[data-testid=inspector][data-node-id=condition_1]');
    const rule = page.locator('[data-testid="rule-rule"]');
    await rule.locator('.rule-path').fill('vars.reply');
    await rule.locator('select.rule-operators').selectOption('contains');
    await rule.locator('input.rule-value').fill('humano');
    await page.fill('[data-testid=node-label]', 'Pide una persona');
    await page.waitForSelector('[data-testid=node-condition_1]:has-text(\'contains(vars.reply, "humano")\')');
    await shot('03-rule-builder');
    await page.click('[data-testid=node-end_1]');
    await page.fill('[data-testid=field-outcome]', 'escalated');
    await page.waitForSelector('[data-testid=error-count]:text-is("0 errores")');
  });

  it('publishes: the server validates the saved draft and creates version 1', async () => {
    await page.click('[data-testid=publish]');
    await page.waitForSelector('[data-testid=editor-banner]:has-text("Publicada la versión 1")');
    const flow = await h.get(`/api/flows/${flowId}`, 'editor');
    expect(flow.body).toMatchObject({ status: 'published', latestVersion: 1 });
    const check = flow.body.draft.nodes.find((n: any) => n.id === 'condition_1');
    expect(check.data.rule).toEqual({ contains: [{ var: 'vars.reply' }, 'humano'] });
    expect(flow.body.draft.edges.find((e: any) => e.source === 'condition_1' && e.sourceHandle === 'true')).toMatchObject({
      target: 'escalate_1',
      targetHandle: 'in',
    });
    await shot('04-published');
  });

  it('talks to the draft in the simulator through an escalation, watching the current node', async () => {
    await page.click('[data-testid=tab-simulate]');
    await page.click('[data-testid=sim-start]');
    await page.waitForSelector('[data-testid=sim-status][data-waiting=reply]');
    expect(await page.textContent('[data-testid=chat]')).toContain('¿En qué podemos ayudarte?');
    await page.waitForSelector('[data-testid=node-ask_1].is-active');
    await page.fill('[data-testid=sim-message]', 'Quiero hablar con un humano');
    await page.click('[data-testid=sim-send]');
    await page.waitForSelector('[data-testid=sim-status][data-waiting=agent]');
    await page.waitForSelector('[data-testid=node-escalate_1].is-active');
    await page.waitForSelector('.react-flow__edge.edge-taken');
    await shot('05-simulator-escalated');
    await page.click('[data-testid=sim-agent-accept]');
    await page.waitForSelector('[data-testid=sim-agent-message]');
    await page.fill('[data-testid=sim-agent-message]', 'Hola, soy Marta. ¿En qué te ayudo?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=chat]:has-text("soy Marta")');
    await page.click('[data-testid=sim-agent-resolve]');
    await page.waitForSelector('[data-testid=sim-status][data-status=completed]');
    expect(await page.textContent('[data-testid=sim-status]')).toContain('escalated');
    await shot('06-simulator-resolved');
  });

  it('shows problems on their nodes and in the list; a click on a problem focuses its node; undo takes it back', async () => {
    await page.click('[data-testid=tab-inspect]');
    await page.click('[data-testid=palette-csat]');
    await page.waitForSelector('[data-testid=node-csat_1].has-errors');
    const problems = page.locator('[data-testid=problem]');
    expect(await problems.count()).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('[data-testid=problems-panel]')).toContain('tiene la salida «next» sin conectar');
    await page.click('[data-testid=node-message_1]');
    await problems.filter({ hasText: 'sin conectar' }).first().click();
    await page.waitForSelector('[data-testid=inspector][data-node-id=csat_1]');
    await shot('07-problems');
    await page.click('[data-testid=undo]');
    await page.waitForSelector('[data-testid=node-csat_1]', { state: 'detached' });
    await page.waitForSelector('[data-testid=error-count]:text-is("0 errores")');
  });

  it('keeps the version history and diffs a version with the saved draft', async () => {
    await page.click('[data-testid=node-message_1]');
    await page.fill('[data-testid=field-text]', 'Te ayudo yo mismo: ¿qué necesitas?');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-testid=editor-banner]:has-text("El servidor lo ha validado")');
    await page.click('[data-testid=tab-versions]');
    await page.waitForSelector('.version-item:has-text("v1")');
    await page.click('[data-testid=diff-compare]');
    await page.waitForSelector('[data-testid=diff]');
    expect(await page.textContent('[data-testid=diff]')).toContain('Nodos cambiados');
    expect(await page.textContent('[data-testid=diff]')).toContain('data.text');
    await page.waitForSelector('[data-testid=node-message_1].diff-changed');
    await shot('08-versions-diff');
  });

  it('tries customer phrases on a new ai.classify node before saving it («Probar frases»)', async () => {
    await page.click('[data-testid=tab-inspect]');
    await page.click('[data-testid="palette-ai.classify"]');
    await page.waitForSelector('[data-testid=inspector][data-node-id=ai_classify_1]');
    await page.click('[data-testid=classify-try] summary');
    // The default intent has two examples: the warning shows before any phrase is tried.
    await page.waitForSelector('[data-testid=classify-try-warnings]:has-text("billing")');
    await page.fill('[data-testid=classify-try-input]', 'tengo un problema con la factura de este mes\nasdf qwerty');
    await page.click('[data-testid=classify-try-submit]');
    await page.waitForSelector('[data-testid=classify-try-results]');
    const rows = await page.locator('[data-testid=classify-try-results] tbody tr').allTextContents();
    expect(rows).toEqual([expect.stringContaining('billing'), expect.stringContaining('ninguna → fallback')]);
    await shot('08b-classify-try');
    await page.click('[data-testid=undo]');
    await page.waitForSelector('[data-testid=node-ai_classify_1]', { state: 'detached' });
    // The undo is a change: the editor saves it by itself once the editing pauses, and until then
    // leaving the page would ask first.
    await page.waitForFunction("!document.querySelector('[data-testid=save-state]')?.textContent?.includes('Cambios sin guardar')", undefined, {
      timeout: 15_000,
    });
  });

  it('shows a real run of the published flow with its path on the graph', async () => {
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId: 'cust-e2e' }, 'system');
    expect(started.status).toBe(201);
    const runId = started.body.runId;
    await h.post(`/api/runs/${runId}/messages`, { text: 'Necesito un humano, por favor' }, 'system');
    await page.click('nav a[href="/runs"]');
    // The list reads Temporal's visibility, which may lag a moment behind the start.
    for (let i = 0; i < 20 && !(await page.$(`a[href="/runs/${runId}"]`)); i++) {
      await page.waitForTimeout(500);
      await page.click('button:has-text("Actualizar")');
    }
    await shot('09-runs-list');
    await page.click(`a[href="/runs/${runId}"]`);
    await page.waitForSelector('[data-testid=run-graph]');
    await page.waitForSelector('[data-testid=node-escalate_1].is-active');
    expect(await page.textContent('[data-testid=run-transcript]')).toContain('Necesito un humano');
    await shot('10-run-live');
    await h.post(`/api/runs/${runId}/events`, { type: 'agent.accepted', data: { agent: 'Marta' } }, 'operator');
    await h.post(`/api/runs/${runId}/events`, { type: 'agent.resolved' }, 'operator');
    await page.waitForSelector('[data-testid=run-page][data-status=completed]', { timeout: 30_000 });
  });

  it('finds the flow on the dashboard: the real run’s KPIs and traffic, and "sin datos todavía" where there is nothing', async () => {
    await page.click('nav a[href="/dashboard"]');
    await page.waitForSelector('[data-testid=dashboard]');
    await page.selectOption('[data-testid=dashboard-flow]', flowId);
    await page.waitForSelector('[data-testid=traffic-graph] [data-testid=node-escalate_1]');
    // The KPI API counts the real run (test runs are kept out); its events may land a moment late,
    // and the figures are brought up to date by the worker every few seconds or by the refresh
    // button (POST /api/kpis/refresh, then a new read), as a CX lead would press it.
    for (let i = 0; i < 20 && !(await page.$('[data-testid=kpi-cards]')); i++) {
      await page.waitForTimeout(500);
      await page.click('[data-testid=dashboard-refresh]');
    }
    expect(await page.textContent('[data-testid=kpi-cards] .kpi-card:first-child')).toBe('Ejecuciones1');
    expect((await page.textContent('[data-kpi=escalationRate] .kpi-value'))?.replace(/\s/g, ' ')).toBe('100 %');
    // Experiments: this flow has none, and says so.
    expect(await page.textContent('[data-testid=experiments-empty]')).toContain('Sin datos todavía');
    await page.waitForSelector('[data-testid=traffic-graph] .react-flow__edge.edge-traffic');
    expect(await page.textContent('.dashboard-flow')).toContain(flowName);
    await shot('11-dashboard');
  });

  it('speaks English one switch away, and remembers it', async () => {
    await page.click('[data-testid=language-switch]');
    expect(await page.textContent('nav')).toBe('FlowsRunsDashboard');
    await page.reload();
    await page.waitForSelector('[data-testid=dashboard]');
    expect(await page.textContent('nav')).toBe('FlowsRunsDashboard');
    await page.goto(`${h.base}/flows/${flowId}`);
    await page.waitForSelector('[data-testid=canvas][data-ready=true]');
    expect(await page.textContent('[data-testid=palette]')).toContain('Ask');
    await shot('12-editor-english');
  });
});
