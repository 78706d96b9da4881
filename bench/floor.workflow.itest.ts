import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testInfra, uniqueId } from '../test/infra';
import { workflowBundlerOptions } from '../workflows/interpreter/bundle-options';
import { FLOOR_OPENING, floorConversationWorkflow, floorMessageUpdate, floorOpeningUpdate } from './floor.workflow';
import { sampleHistories, stillOpenProbe } from './run-probes';

/**
 * The yardstick of bench/floor.ts stays the engine's floor: a one-turn conversation is exactly the
 * 12 events Temporal needs (no marker, timer or search-attribute upsert crept in), a middle turn
 * answers while the run keeps waiting, and the probes the benchmark waits on see the run close.
 */
describe('the floor conversation workflow', () => {
  let worker: Worker;
  let running: Promise<void>;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  const taskQueue = uniqueId('floor');

  beforeAll(async () => {
    nativeConnection = await NativeConnection.connect({ address: testInfra().temporalAddress });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./floor.workflow'),
      bundlerOptions: workflowBundlerOptions(require.resolve('./floor.workflow')),
    });
    running = worker.run();
    connection = await Connection.connect({ address: testInfra().temporalAddress });
    client = new Client({ connection });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await nativeConnection?.close();
  });

  const start = (workflowId: string, turns: number) =>
    client.workflow.executeUpdateWithStart(floorOpeningUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(floorConversationWorkflow, {
        workflowId,
        taskQueue,
        args: [{ turns }],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });

  it('a one-turn conversation: opening with the start, one reply, completed in the same task, 12 events', async () => {
    const workflowId = uniqueId('floor-one');
    expect(await start(workflowId, 1)).toEqual(FLOOR_OPENING);
    const handle = client.workflow.getHandle(workflowId);
    expect(await handle.executeUpdate(floorMessageUpdate, { args: ['where is my order'] })).toBe('Gracias, "where is my order" queda anotado.');
    // The reply came back after the workflow decided to complete: it is closed already.
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(await stillOpenProbe(client)([workflowId])).toBe(0);

    const sample = await sampleHistories(client, [workflowId], 1);
    expect(sample.events.mean).toBe(12);
    expect(sample.eventTypes).toEqual([
      'WorkflowExecutionStarted',
      'WorkflowTaskScheduled',
      'WorkflowTaskStarted',
      'WorkflowTaskCompleted',
      'WorkflowExecutionUpdateAccepted',
      'WorkflowExecutionUpdateCompleted',
      'WorkflowTaskScheduled',
      'WorkflowTaskStarted',
      'WorkflowTaskCompleted',
      'WorkflowExecutionUpdateAccepted',
      'WorkflowExecutionUpdateCompleted',
      'WorkflowExecutionCompleted',
    ]);
  });

  it('a middle turn answers while the run keeps waiting; the probe sees it open until the last turn', async () => {
    const workflowId = uniqueId('floor-chat');
    await start(workflowId, 2);
    const handle = client.workflow.getHandle(workflowId);
    expect(await handle.executeUpdate(floorMessageUpdate, { args: ['hola'] })).toBe('Gracias, "hola" queda anotado.');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await stillOpenProbe(client)([workflowId])).toBe(1);
    expect(await handle.executeUpdate(floorMessageUpdate, { args: ['adiós'] })).toBe('Gracias, "adiós" queda anotado.');
    expect(await handle.result()).toBe('Gracias, "adiós" queda anotado.');
  });
});
