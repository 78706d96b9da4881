import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../libs/runtime/ports';
import { audit, AuditResult } from './audit';
import { ConversationLoad } from './load';
import { alive, LauncherProcess, StackInfo } from './stack';

/**
 * The fault-injection suite (`npm run test:faults`): the built stack as `npm start` runs it, a steady
 * load of conversations from retrying clients, and, in turn, a kill -9 of the worker, the API, the
 * Temporal dev server and PostgreSQL (the real child processes, found through the launcher's
 * stack.json), then a Ctrl-C (SIGINT to the whole process group) and a start on the same data.
 * Afterwards nothing may be lost, missing or duplicated; the time each fault took to recover is
 * reported. The report is written to test-artifacts/faults-report.txt (test/faults/run.mjs prints it).
 */
const TURNS = 2;
const CONCURRENCY = 8;
const MAX_CONVERSATIONS = 3_000;
const THINK_MS = 250;
const REPORT = path.resolve(__dirname, '../../test-artifacts/faults-report.txt');
const LAUNCHER_LOG = path.resolve(__dirname, '../../test-artifacts/faults-launcher.log');
/** Ordinary operation between faults, so each fault hits a load in its stride. */
const STEADY_MS = 4_000;

const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });
/** start → hi → ask → ask → end: two customer turns, then the run completes. */
const conversationFlow = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } },
    { id: 'hi', type: 'message', position: { x: 0, y: 100 }, data: { text: 'Hola, soy el asistente.' } },
    { id: 'first', type: 'ask', position: { x: 0, y: 200 }, data: { text: '¿En qué puedo ayudarte?', variable: 'first' } },
    { id: 'second', type: 'ask', position: { x: 0, y: 300 }, data: { text: 'Gracias. ¿Algo más?', variable: 'second' } },
    { id: 'end', type: 'end', position: { x: 0, y: 400 }, data: { outcome: 'resolved', message: '¡Hasta pronto!' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'first'), edge('first', 'reply', 'second'), edge('second', 'reply', 'end')],
};

const FAULTS: { name: string; pid: keyof StackInfo; logName: string }[] = [
  { name: 'worker', pid: 'workerPid', logName: 'worker' },
  { name: 'API', pid: 'apiPid', logName: 'API' },
  { name: 'Temporal dev server', pid: 'temporalPid', logName: 'Temporal dev server' },
  { name: 'PostgreSQL', pid: 'postgresPid', logName: 'PostgreSQL' },
];

/** A timer that does not keep Jest waiting once the suite is over. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('faults: the built stack under a steady conversation load', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-faults-'));
  let launcher: LauncherProcess;
  const launchers: LauncherProcess[] = [];
  let load: ConversationLoad;
  let base: string;
  let adminKey: string;
  let flowId: string;
  const recoveries: string[] = [];
  let result: AuditResult | undefined;

  /** A fresh conversation's start and first turn, without retries: the stack serves conversations again. */
  const probe = async (): Promise<boolean> => {
    try {
      const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
      const started = await fetch(`${base}/api/flows/${flowId}/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ key: `probe-${randomUUID()}` }),
        signal: AbortSignal.timeout(5_000),
      });
      if (started.status !== 201) return false;
      const { runId } = (await started.json()) as { runId: string };
      const turn = await fetch(`${base}/api/runs/${runId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: 'sonda', id: randomUUID() }),
        signal: AbortSignal.timeout(5_000),
      });
      return turn.status === 200;
    } catch {
      return false;
    }
  };
  const timeToRecover = async (since: number): Promise<number> => {
    await until('a conversation turn to succeed again', probe, 180_000);
    return Date.now() - since;
  };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    launcher = await LauncherProcess.start(dataDir, port);
    launchers.push(launcher);
    adminKey = launcher.adminKey();
    const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/flows`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Fallos: conversación', definition: conversationFlow }),
    });
    if (created.status !== 201) throw new Error(`creating the flow answered ${created.status}: ${await created.text()}`);
    flowId = ((await created.json()) as { id: string }).id;
    const published = await fetch(`${base}/api/flows/${flowId}/publish`, { method: 'POST', headers });
    if (published.status !== 201) throw new Error(`publishing the flow answered ${published.status}: ${await published.text()}`);
    load = new ConversationLoad({
      base,
      key: () => adminKey,
      flowId,
      turns: TURNS,
      concurrency: CONCURRENCY,
      maxConversations: MAX_CONVERSATIONS,
      thinkMs: THINK_MS,
    });
    load.start();
    await until('the load to get going', () => load.completed >= 10, 60_000);
  }, 180_000);

  afterAll(async () => {
    await Promise.race([load?.stop(), sleep(5_000)]);
    if (launcher && launcher.child.exitCode === null) {
      launcher.interruptGroup();
      await Promise.race([launcher.exited, sleep(60_000)]);
      launcher.killAll();
    }
    const s = load?.stats;
    const lines = [
      'fault injection (kill -9 of each process under load, then Ctrl-C and a start on the same data)',
      ...recoveries,
      ...(s
        ? [
            `load: ${load.conversations.length} conversations (${load.completed} completed), ${s.requests} requests, ${s.retries} retried, ${s.cut} cut mid-request; answers ${JSON.stringify(s.byStatus)}`,
          ]
        : []),
      ...(result
        ? [
            `runs lost: ${result.runsLost}`,
            `accepted messages missing: ${result.messagesMissing}`,
            `duplicates: ${result.duplicates}`,
            `missing run events: ${result.missingRunEvents}`,
            `runs not finished: ${result.runsNotFinished}`,
            `conversations failed: ${result.conversationsFailed}`,
            ...result.details.slice(0, 30).map((d) => `  ${d}`),
          ]
        : ['(no audit: the suite stopped early)']),
    ];
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, lines.join('\n') + '\n');
    fs.writeFileSync(LAUNCHER_LOG, launchers.map((l) => l.output).join('\n----- started again -----\n'));
    if (!process.env.CAUCE_KEEP_FAULTS_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  for (const fault of FAULTS) {
    it(`recovers from a kill -9 of the ${fault.name} and the launcher says why`, async () => {
      await sleep(STEADY_MS);
      const before = launcher.info();
      const pid = before[fault.pid] as number;
      expect(alive(pid)).toBe(true);
      const completedBefore = load.completed;
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      const ms = await timeToRecover(killedAt);
      recoveries.push(`kill -9 ${fault.name.padEnd(20)} recovered in ${(ms / 1000).toFixed(1)} s`);

      await until(
        'the launcher to log the crash and the restart',
        () => {
          const out = launcher.output;
          return (
            out.includes(`${fault.logName} (pid ${pid}) exited unexpectedly`) &&
            out.includes('(killed by SIGKILL); restarting in') &&
            new RegExp(`${fault.logName} restarted \\(pid \\d+\\)`).test(out)
          );
        },
        30_000,
      );
      const after = launcher.info();
      expect(after[fault.pid]).not.toBe(pid);
      expect(alive(after[fault.pid] as number)).toBe(true);
      // Only the killed process was restarted: the worker and the API ride out a PostgreSQL or
      // Temporal restart (they reconnect), and the servers do not care about the apps.
      for (const other of FAULTS.filter((f) => f !== fault)) expect({ [other.name]: after[other.pid] }).toEqual({ [other.name]: before[other.pid] });
      // The retrying clients carry on: more conversations finish after the fault.
      await until('the load to finish more conversations', () => load.completed >= completedBefore + CONCURRENCY, 120_000);
    }, 300_000);
  }

  it('stops in order on a Ctrl-C to the whole process group, and starts again on the same data', async () => {
    await sleep(STEADY_MS);
    const info = launcher.info();
    const pids = [info.apiPid, info.workerPid, info.temporalPid, info.postgresPid];
    expect(pids.every(alive)).toBe(true);
    const completedBefore = load.completed;
    const cutBefore = load.stats.cut;
    const stoppedAt = Date.now();
    launcher.interruptGroup();
    const exit = await launcher.exited;
    const stopMs = Date.now() - stoppedAt;
    const cutDuringStop = load.stats.cut - cutBefore;
    const out = launcher.output;
    const afterSignal = out.slice(out.indexOf('SIGINT received'));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(afterSignal).toContain('stopped. The data stays in');
    // Nothing died on its own and nothing was restarted during the stop.
    expect(afterSignal).not.toMatch(/exited unexpectedly|restarted \(pid/);
    // The API finished what it had in flight (chat turns included) before it closed.
    const inFlight = Number(/\[api\] SIGTERM received: refusing new requests, finishing (\d+) in flight/.exec(afterSignal)?.[1] ?? NaN);
    expect(inFlight).toBeGreaterThanOrEqual(0);
    expect(afterSignal).not.toContain('requests cut after');
    // New requests were refused cleanly (503, Connection: close, then connection refused), none cut mid-way.
    expect(cutDuringStop).toBe(0);
    const at = (line: string) => afterSignal.indexOf(line);
    expect(at('API stopped')).toBeGreaterThan(0);
    expect(at('worker stopped')).toBeGreaterThan(at('API stopped'));
    expect(at('Temporal stopped')).toBeGreaterThan(at('worker stopped'));
    expect(at('PostgreSQL stopped')).toBeGreaterThan(at('worker stopped'));
    await new Promise((r) => setTimeout(r, 300));
    expect(pids.filter(alive)).toEqual([]);

    launcher = await LauncherProcess.start(dataDir, Number(new URL(base).port));
    launchers.push(launcher);
    const ms = await timeToRecover(stoppedAt);
    recoveries.push(
      `Ctrl-C (SIGINT to the group): stopped in ${(stopMs / 1000).toFixed(1)} s, the API finishing the ${inFlight} requests in flight (${cutDuringStop} client connections cut); serving again ${(ms / 1000).toFixed(1)} s after the signal (start included)`,
    );
    await until('the load to finish more conversations', () => load.completed >= completedBefore + CONCURRENCY, 120_000);
  }, 300_000);

  it('lost, duplicated and missed nothing: every accepted run, message and run event is there', async () => {
    await load.stop();
    result = await audit(load, launcher.info().databaseUrl);
    expect(result.runs).toBeGreaterThan(0);
    expect({
      runsLost: result.runsLost,
      messagesMissing: result.messagesMissing,
      duplicates: result.duplicates,
      missingRunEvents: result.missingRunEvents,
      runsNotFinished: result.runsNotFinished,
      conversationsFailed: result.conversationsFailed,
      details: result.details.slice(0, 10),
    }).toEqual({ runsLost: 0, messagesMissing: 0, duplicates: 0, missingRunEvents: 0, runsNotFinished: 0, conversationsFailed: 0, details: [] });
  }, 300_000);
});
