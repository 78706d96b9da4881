/**
 * Cauce's customers in bench/floor.ts: the HTTP load that starts conversations through the API and
 * answers them. It runs in a child process of its own (`dist/bench/http-load-driver.js`, forked once
 * per benchmark and reused by every phase), so the CPU of building requests, parsing answers and
 * keeping sockets is not charged to Cauce: a customer's client is not Cauce's cost. The floor's plain
 * Temporal client stays in the benchmark's process and counted, as it is the floor's equivalent of
 * Cauce's API (it turns a customer's request into Temporal calls).
 *
 * Both sides of the protocol live here. The parent calls `customersInChild()` (or, for
 * `--in-process-load`, `customersInProcess()`, the behaviour before the driver existed) and sends
 * jobs: which flow and key, which conversations, how many at a time, the messages. The child runs
 * them with the same functions as the in-process load (api-conversation-load.ts: same checks, same
 * error accounting) and answers with one ConversationOutcome per conversation and the CPU it used.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { apiChatConversation, apiOneTurnConversation, type ApiTarget, type ConversationOutcome, ConversationSamples, runLoad } from './api-conversation-load';
import { HttpClient } from './api-stack';

/** One batch of conversations for the customers to have. */
export interface LoadJob {
  /** `one-turn`: start, one message that ends the run. `chat`: start, `turns` messages, the last one `goodbye`. */
  kind: 'one-turn' | 'chat';
  target: ApiTarget;
  /** The conversations' numbers (a conversation's customer and first message follow from it). */
  conversations: number[];
  concurrency: number;
  /** Epoch ms after which no conversation starts. */
  deadline: number;
  /** Latencies are kept only for recorded conversations (not for the warm-up). */
  record: boolean;
  turns?: number;
  messages: string[];
  goodbye: string;
}

export interface LoadResult {
  outcomes: ConversationOutcome[];
  /** Seconds from the first start to the last answer. */
  loadSeconds: number;
  /** CPU seconds the customers used for the job; undefined in process (there it is part of the benchmark's own CPU). */
  cpuSeconds?: number;
}

/** Where Cauce's customers run, as floor.ts sees them. */
export interface CauceCustomers {
  /** For the header. */
  describe: string;
  /** The driver's process, to leave out of the CPU accounting; none when in process. */
  pid?: number;
  run(job: LoadJob): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Collects one conversation's samples and failures without printing them: the parent reports them. */
class OutcomeRecorder extends ConversationSamples {
  readonly problems: ConversationOutcome['problems'] = [];
  readonly midTurns: number[] = [];

  override fail(what: string, detail: string): void {
    this.problems.push({ what, detail: detail.slice(0, 300) });
  }

  outcome(i: number, runId: string | undefined): ConversationOutcome {
    const { start, turn, whole, midTurns, statuses, problems } = this;
    return { i, runId, start, turn, whole, midTurns, statuses, problems };
  }
}

/** Has the job's conversations through `client`, `job.concurrency` at a time. */
export async function runJob(client: HttpClient, job: LoadJob): Promise<LoadResult> {
  const outcomes: ConversationOutcome[] = [];
  const converse = async (k: number) => {
    const i = job.conversations[k];
    const r = new OutcomeRecorder();
    const runId =
      job.kind === 'chat'
        ? await apiChatConversation(client, job.target, i, job.turns ?? 2, r, r.midTurns, job.messages, job.goodbye)
        : await apiOneTurnConversation(client, job.target, i, r, job.record, job.messages);
    outcomes.push(r.outcome(i, runId));
  };
  const loadSeconds = await runLoad(job.conversations.length, job.concurrency, 0, job.deadline, converse);
  return { outcomes, loadSeconds };
}

/** The customers in this process (`--in-process-load`): their CPU counts as Cauce's `node`. */
export function customersInProcess(apiUrl: string, sockets: number): CauceCustomers {
  const client = new HttpClient(apiUrl, sockets);
  return {
    describe: "in this process (--in-process-load): the customers' HTTP client is counted in Cauce's node CPU",
    run: (job) => runJob(client, job),
    close: async () => client.close(),
  };
}

type ToDriver = { type: 'job'; id: number; job: LoadJob };
type FromDriver = { type: 'ready' } | { type: 'done'; id: number; result: LoadResult } | { type: 'failed'; id: number; error: string };

/** Forks the driver and waits until it is ready, so its start-up falls in no phase. */
export async function customersInChild(apiUrl: string, sockets: number): Promise<CauceCustomers> {
  // No inherited flags (--cpu-prof, --inspect): the driver only needs Node.
  const child: ChildProcess = fork(path.join(__dirname, 'http-load-driver.js'), [JSON.stringify({ apiUrl, sockets })], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  let exited: Error | undefined;
  let nextId = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: FromDriver) => {
      if (m.type === 'ready') return resolve();
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'done') p?.resolve(m.result);
      else p?.reject(new Error(`load driver: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      exited = new Error(`load driver exited (${signal ?? `code ${code}`})`);
      reject(exited);
      for (const p of pending.values()) p.reject(exited);
      pending.clear();
    });
  });
  await ready;
  return {
    describe: `a child process (pid ${child.pid}, bench/http-load-driver.ts): the customers' HTTP client is NOT counted for either side, its CPU is printed apart`,
    pid: child.pid,
    run: (job) =>
      new Promise((resolve, reject) => {
        if (exited) return reject(exited);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ type: 'job', id, job } satisfies ToDriver);
      }),
    close: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await gone;
    },
  };
}

/** The child's side: one HTTP client for the whole benchmark, jobs as they come, until the parent disconnects. */
function driverMain(): void {
  const { apiUrl, sockets } = JSON.parse(process.argv[2] ?? '{}') as { apiUrl: string; sockets: number };
  const client = new HttpClient(apiUrl, sockets);
  const send = (m: FromDriver) => process.send?.(m);
  process.on('message', (m: ToDriver) => {
    if (m.type !== 'job') return;
    const cpu0 = process.cpuUsage();
    runJob(client, m.job).then(
      (result) => {
        const cpu = process.cpuUsage(cpu0);
        send({ type: 'done', id: m.id, result: { ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6 } });
      },
      (err: Error) => send({ type: 'failed', id: m.id, error: err.stack ?? String(err) }),
    );
  });
  process.on('disconnect', () => {
    client.close();
    process.exit(0);
  });
  send({ type: 'ready' });
}

if (require.main === module) driverMain();
