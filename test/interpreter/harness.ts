import { randomUUID } from 'node:crypto';
import { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Pool } from 'pg';
import { createRunEventActivities, RunIndexUpdate } from '../../activities/run-events/run-events.activities';
import { createRunLogWriter, type RunLogWriter } from '../../activities/run-events/run-log-writer';
import { runLogSinks } from '../../activities/run-events/run-log-sink';
import type { RunLogEntry } from '../../contracts/run-log';
import { quietBundlerLogger } from '../../libs/runtime/log';
import type { FlowDefinition, FlowEdge, FlowNode } from '../../workflows/language';
import { workflowBundlerOptions } from '../../workflows/interpreter/bundle-options';
import { eventSignal, FLOW_RUN_WORKFLOW, messageUpdate, stateQuery } from '../../contracts/run-wire';
import type { BusinessEvent, FlowRunInput, InboundMessage, MessageResult, RunSnapshot } from '../../contracts/run';
import { testInfra, uniqueId } from '../infra';
import { createFakeActivities, FakeActivities } from './fake-activities';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const workflowsPath = require.resolve('../../workflows/index');
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger, ...workflowBundlerOptions(workflowsPath) });
  return bundle;
}

/**
 * One TestWorkflowEnvironment per suite, on the dev server of the global setup; a worker on a
 * unique task queue with the real run-log writer and run-event activities (PostgreSQL) and fake
 * node activities. Runs start as flowRunV2 unless a test asks for the legacy type.
 */
export class InterpreterHarness {
  env!: TestWorkflowEnvironment;
  pool!: Pool;
  fakes: FakeActivities = createFakeActivities();
  taskQueue = uniqueId('flows');
  runLog!: RunLogWriter;
  private worker!: Worker;
  private running!: Promise<void>;

  /** @param createEnv another environment, e.g. the time-skipping test server for long timers. */
  constructor(private readonly createEnv?: () => Promise<TestWorkflowEnvironment>) {}

  async setup(): Promise<this> {
    const { temporalAddress, databaseUrl } = testInfra();
    this.env = this.createEnv ? await this.createEnv() : await TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress });
    this.pool = new Pool({ connectionString: databaseUrl, max: 4 });
    this.runLog = createRunLogWriter({ pool: this.pool });
    await this.startWorker();
    return this;
  }

  async startWorker(): Promise<void> {
    this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...this.runEventActivities(), ...this.fakes.activities },
      sinks: runLogSinks({ record: (entry) => this.recordRunLog(entry) }),
    });
    this.running = this.worker.run();
  }

  /**
   * The real run-event activities (PostgreSQL). `updateRunIndex` is recorded in the fakes' calls and
   * goes through their gate, so a test can hold a run open after it finished (`fakes.hold`).
   */
  private runEventActivities() {
    const real = createRunEventActivities({ pool: this.pool });
    return {
      ...real,
      updateRunIndex: async (update: RunIndexUpdate) => {
        this.fakes.calls.push({ name: 'updateRunIndex', input: update });
        await this.fakes.gate('updateRunIndex');
        return real.updateRunIndex(update);
      },
    };
  }

  /** A flowRunV2 run's closing row is recorded in the fakes' calls as `updateRunIndex`, as the legacy type's activity is. */
  private recordRunLog(entry: RunLogEntry): void {
    if (entry.close) this.fakes.calls.push({ name: 'updateRunIndex', input: entry.close });
    this.runLog.record(entry);
  }

  /** Until every run-log entry handed over so far is in PostgreSQL (the writer commits asynchronously). */
  settled(): Promise<void> {
    return this.runLog.drain();
  }

  /** Stops the worker as a crash or deploy would; runs wait durably until one polls again. */
  async stopWorker(): Promise<void> {
    this.worker.shutdown();
    await this.running;
  }

  async teardown(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') await this.stopWorker();
    await this.runLog?.close();
    await this.pool?.end();
    await this.env?.teardown();
  }

  get client() {
    return this.env.client;
  }

  async start(
    definition: FlowDefinition,
    options: Partial<FlowRunInput> = {},
    workflowType = FLOW_RUN_WORKFLOW,
  ): Promise<WorkflowHandleWithFirstExecutionRunId> {
    const input: FlowRunInput = { flowId: options.flowId ?? randomUUID(), version: 1, definition, ...options };
    return this.client.workflow.start(workflowType, { taskQueue: this.taskQueue, workflowId: uniqueId('run'), args: [input] });
  }

  say(handle: WorkflowHandle, text: string | InboundMessage): Promise<MessageResult> {
    const message = typeof text === 'string' ? { text } : text;
    return handle.executeUpdate(messageUpdate, { args: [message] });
  }

  /** Opens the conversation: an empty turn is not allowed, so read the greeting from the state. */
  async replies(handle: WorkflowHandle): Promise<string[]> {
    return (await this.state(handle)).transcript.filter((t) => t.from !== 'customer').map((t) => t.text);
  }

  signal(handle: WorkflowHandle, event: BusinessEvent): Promise<void> {
    return handle.signal(eventSignal, event);
  }

  state(handle: WorkflowHandle): Promise<RunSnapshot> {
    return handle.query(stateQuery);
  }

  /** Polls the state until `predicate` holds (for waits driven by timers). */
  async until(handle: WorkflowHandle, predicate: (s: RunSnapshot) => boolean, timeoutMs = 15_000): Promise<RunSnapshot> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state(handle);
      if (predicate(s)) return s;
      if (Date.now() > deadline)
        throw new Error(`state never matched; last: ${JSON.stringify({ status: s.status, currentNode: s.currentNode, waitingFor: s.waitingFor })}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async events(runId: string): Promise<{ seq: number; type: string; node_id: string | null; data: Record<string, unknown> }[]> {
    await this.settled();
    const r = await this.pool.query('SELECT seq, type, node_id, data FROM run_events WHERE run_id = $1 ORDER BY seq', [runId]);
    return r.rows;
  }
}

/** A compact flow builder for tests: nodes in order, edges as [source, branch, target]. */
export function flow(nodes: [string, string, Record<string, unknown>][], edges: [string, string, string][]): FlowDefinition {
  return {
    nodes: nodes.map(([id, type, data]): FlowNode => ({ id, type, data, position: { x: 0, y: 0 } })),
    edges: edges.map(([source, sourceHandle, target]): FlowEdge => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target })),
  };
}

/** The API's one-turn conversation: the opening with the start, one message, a classification (a local activity), the end. */
export const ONE_TURN_FLOW = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola, soy el asistente.' }],
    ['ask', 'ask', { text: '¿En qué puedo ayudarte?', variable: 'said' }],
    ['classify', 'ai.classify', { intents: [{ id: 'billing', examples: ['factura'] }], threshold: 0.2 }],
    ['answer', 'message', { text: 'Entendido ({{ nodes.classify.output.intent | default: "otro" }}).' }],
    ['end', 'end', { outcome: 'resolved', message: '¡Hasta pronto!' }],
  ],
  [
    ['start', 'next', 'hi'],
    ['hi', 'next', 'ask'],
    ['ask', 'reply', 'classify'],
    ['classify', 'billing', 'answer'],
    ['classify', 'fallback', 'answer'],
    ['answer', 'next', 'end'],
  ],
);
