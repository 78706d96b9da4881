/**
 * The floor's side of bench/floor.ts: a worker for bench/floor.workflow.ts on its own task queue, in
 * this process, with the workflow-task settings of Cauce's running worker (read from it, so they
 * cannot drift), and a plain Temporal client that has the conversations a Cauce client has through
 * the API: update-with-start answered with the opening messages, then one Update per message.
 */
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { quietBundlerLogger } from '../libs/runtime/log';
import { workflowBundlerOptions } from '../workflows/interpreter/bundle-options';
import { ConversationSamples } from './api-conversation-load';
import { MESSAGES } from './conversation-flows';
import { FLOOR_OPENING, floorConversationWorkflow, floorMessageUpdate, floorOpeningUpdate } from './floor.workflow';

export interface Floor {
  client: Client;
  /** The floor worker's settings, for the report. */
  settings: string;
  /** One conversation of `turns` customer messages; its workflow id once started (even if a later step failed). */
  converse(workflowId: string, i: number, turns: number, samples: ConversationSamples, record: boolean, midTurns?: number[]): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** Cauce's workflow-task settings, from its worker's compiled options. */
function settingsOf(cauce: Worker) {
  const o = cauce.options;
  const slots = (o.tuner as unknown as { workflowTaskSlotSupplier: { type: string; numSlots?: number } }).workflowTaskSlotSupplier;
  if (slots.type !== 'fixed-size' || !slots.numSlots)
    throw new Error(`Cauce's worker uses a ${slots.type} workflow slot supplier; teach bench/floor-side.ts to copy it`);
  return {
    maxCachedWorkflows: o.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: slots.numSlots,
    workflowThreadPoolSize: o.workflowThreadPoolSize,
    reuseV8Context: o.reuseV8Context,
    workflowTaskPollerBehavior: o.workflowTaskPollerBehavior,
    nonStickyToStickyPollRatio: o.nonStickyToStickyPollRatio,
    stickyQueueScheduleToStartTimeout: o.stickyQueueScheduleToStartTimeoutMs,
  };
}

export async function startFloor(cauce: Worker, address: string, namespace: string): Promise<Floor> {
  const settings = settingsOf(cauce);
  // One bundle, made once, with the bundler options of Cauce's bundle: the same preloaded sandbox
  // setup, and its workflow module preloaded as Cauce's is (the interpreter comes along, unused).
  const { code } = await bundleWorkflowCode({
    ...workflowBundlerOptions(require.resolve('./floor.workflow')),
    workflowsPath: require.resolve('./floor.workflow'),
    logger: quietBundlerLogger,
  });
  const taskQueue = 'bench-floor';
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: workerConnection, namespace, taskQueue, workflowBundle: { code }, ...settings });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });

  const converse: Floor['converse'] = async (workflowId, i, turns, samples, record, midTurns) => {
    const t0 = performance.now();
    const startOperation = new WithStartWorkflowOperation(floorConversationWorkflow, {
      workflowId,
      taskQueue,
      args: [{ turns }],
      workflowIdConflictPolicy: 'FAIL',
    });
    let opening: string[];
    try {
      opening = await client.workflow.executeUpdateWithStart(floorOpeningUpdate, { startWorkflowOperation: startOperation });
    } catch (err) {
      samples.fail('start failed', String(err));
      return undefined;
    }
    const t1 = performance.now();
    const opened = opening.length === FLOOR_OPENING.length;
    if (!opened) samples.fail('start without the opening messages', JSON.stringify(opening));
    const handle = client.workflow.getHandle(workflowId);
    let t2 = t1;
    let t3 = t1;
    const mids: number[] = [];
    for (let turn = 0; turn < turns; turn++) {
      t2 = performance.now();
      try {
        const reply = await handle.executeUpdate(floorMessageUpdate, { args: [MESSAGES[(i + turn) % MESSAGES.length]] });
        if (!reply) throw new Error('no reply');
      } catch (err) {
        samples.fail('turn failed', String(err));
        return workflowId;
      }
      t3 = performance.now();
      if (turn < turns - 1) mids.push(t3 - t2);
    }
    if (record && opened) {
      samples.start.push(t1 - t0);
      samples.turn.push(t3 - t2);
      samples.whole.push(t3 - t0);
      midTurns?.push(...mids);
    }
    return workflowId;
  };

  return {
    client,
    settings: Object.entries(settings)
      .filter(([k]) => k !== 'workflowTaskPollerBehavior')
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    converse,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await workerConnection.close();
    },
  };
}
