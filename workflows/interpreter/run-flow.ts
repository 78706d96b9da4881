import {
  allHandlersFinished,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { failure } from '../../contracts/failures';
import { SA_FLOW_ID, SA_STATUS } from '../../contracts/search-attributes';
import type { FlowActivities } from '../../contracts/activities';
import type { FlowNode } from '../language';
import { eventSignal, messageUpdate, openingUpdate, stateQuery } from '../../contracts/run-wire';
import { crm } from './activities';
import { workCharged } from '../language/work-budget';
import { handlerFor } from './nodes';
import { customerScope, flowReadsCustomer } from './nodes/helpers/customer';
import { NodeError } from './node-error';
import type { RunEngine } from './engine';
import { Run } from './run';
import type { FlowRunInput, FlowRunResult, MessageResult, ResumePoint } from '../../contracts/run';

const INDEX_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds' },
} as const;
const { updateRunIndex } = proxyActivities<FlowActivities>(INDEX_OPTIONS);
const local = proxyLocalActivities<Pick<FlowActivities, 'updateRunIndex'>>(INDEX_OPTIONS);

/** Temporal's limit on concurrent updates per workflow; callers over it get a clear rejection. */
const MAX_UPDATES_IN_FLIGHT = 10;

function refuseWhenBusy(run: Run): void {
  if (run.updatesInFlight >= MAX_UPDATES_IN_FLIGHT) {
    throw failure('TooManyMessagesInFlight', `Too many messages in flight for this run (limit ${MAX_UPDATES_IN_FLIGHT})`, { limit: MAX_UPDATES_IN_FLIGHT });
  }
}
const MAX_MESSAGE_LENGTH = 10_000;

/**
 * The flow interpreter: one run of one pinned flow version. It walks the graph from the start node;
 * activity nodes call activities, delays are durable timers, waits are conditions on messages
 * (Updates) and events (signals), and the state is a query. `engine` is what the run's workflow
 * type records around the walk (engine.ts; the workflow types are in flow-run.workflow.ts).
 */
export async function runFlow(input: FlowRunInput, engine: RunEngine): Promise<FlowRunResult> {
  const run = new Run(input, input.definition, engine);

  setHandler(stateQuery, () => run.snapshot());

  setHandler(eventSignal, (event) => {
    if (run.finished || typeof event?.type !== 'string') return;
    run.acceptEvent(event);
  });

  setHandler(
    messageUpdate,
    async (message): Promise<MessageResult> => {
      run.updatesInFlight++;
      run.updatesHandled++;
      try {
        run.conversation.receive(message);
        // The chat turn: wait until the flow is idle again (or done), then return what it said.
        await condition(() => run.idle());
        return turnResult(run, run.conversation.takeReplies(message.from === 'agent' ? 'agent' : 'customer'));
      } finally {
        run.updatesInFlight--;
      }
    },
    {
      validator: (message) => {
        // Validators run before the Update is accepted, so what they throw never enters the history.
        if (run.finished) {
          const details = { status: run.status, ...(run.outcome ? { outcome: run.outcome } : {}) };
          throw failure('RunFinished', `The run is ${run.status}${run.outcome ? ` (${run.outcome})` : ''} and takes no more messages`, details);
        }
        if (!message || typeof message.text !== 'string' || message.text.trim() === '')
          throw failure('InvalidMessage', 'message.text must be a non-empty string', { field: 'text' });
        if (message.text.length > MAX_MESSAGE_LENGTH)
          throw failure('InvalidMessage', `message.text is longer than ${MAX_MESSAGE_LENGTH} characters`, { field: 'text' });
        if (message.from !== undefined && message.from !== 'customer' && message.from !== 'agent')
          throw failure('InvalidMessage', 'message.from must be "customer" or "agent"', { field: 'from' });
        refuseWhenBusy(run);
      },
    },
  );

  // The start's answer (sent with the start): what the run said until it first waits, or ends.
  setHandler(
    openingUpdate,
    async (): Promise<MessageResult> => {
      run.updatesInFlight++;
      run.updatesHandled++;
      try {
        await condition(() => run.idle());
        return turnResult(run, run.conversation.takeReplies('customer', true));
      } finally {
        run.updatesInFlight--;
      }
    },
    {
      validator: () => {
        refuseWhenBusy(run);
      },
    },
  );

  // A run started for a known customer reads them from the CRM first, so `customer.*` works from
  // the first message; runs recorded before this step skip it on replay.
  if (input.customerId && !input.carried && run.patches.loadCustomerAtStart && needsCustomer(run)) await loadCustomer(run, input.customerId);

  let resumeAt: ResumePoint | undefined = input.carried?.resume;
  let nodeId: string | undefined = resumeAt?.nodeId ?? findStart(run);
  if (!input.carried) run.emit('run.started', undefined, { trigger: startTrigger(run), ...(input.test ? { test: true } : {}) });

  try {
    while (nodeId) {
      const node: FlowNode | undefined = run.nodes.get(nodeId);
      if (!node) throw failure('FlowDefinitionError', `The flow has no node "${nodeId}"`, { nodeId });
      const handler = handlerFor(node.type);
      if (!handler) throw failure('FlowDefinitionError', `Node "${node.id}" has an unknown type "${node.type}"`, { nodeId: node.id });
      if (++run.stepsSinceWait > run.limits.maxStepsWithoutWait) {
        throw new NodeError(
          node.id,
          `The run passed ${run.limits.maxStepsWithoutWait} nodes without waiting, last at ${run.label(node)}: the flow loops without a pause`,
        );
      }

      const step = run.enter(node);
      // Nodes that finish at once (start, condition, message on chat, ...) answer synchronously:
      // awaiting only real promises spares the chat turn promises, which cost a stack capture each.
      // The handler's synchronous part (templates and rules run there) is measured in work units;
      // no other workflow runs in between, so the count is this run's alone, and deterministic.
      const workBefore = workCharged();
      const pending = handler(node, run, resumeAt);
      run.workSinceWait += workCharged() - workBefore;
      if (run.workSinceWait > run.limits.maxWorkWithoutWait) {
        if (pending instanceof Promise) pending.catch(() => undefined); // the run fails here instead
        throw new NodeError(
          node.id,
          `The run did too much work without waiting (over ${run.limits.maxWorkWithoutWait} units of rules and templates), last at ${run.label(node)}`,
        );
      }
      const result = pending instanceof Promise ? await pending : pending;
      resumeAt = undefined;
      if (result.continueAsNew) {
        // Long conversation: start a fresh history carrying the state, resuming in this node's wait.
        // Flushes already sent must land first (a closed run's activities never complete); the
        // buffer travels with the state. After the park, the chat turns in flight return and the
        // continue-as-new goes out in the same workflow task, so no message reaches a closing run.
        run.path.pop();
        await run.log.settle();
        run.waits.park(run.nodes.get(result.continueAsNew.nodeId)?.type === 'escalate' ? 'agent' : 'reply');
        await condition(allHandlersFinished);
        // The same workflow type as this execution: continue-as-new keeps it.
        return await continueAsNew<(input: FlowRunInput) => Promise<FlowRunResult>>({ ...input, carried: run.carry(result.continueAsNew) });
      }
      run.leave(step, result.branch, result.output);
      if (result.branch === null) break;
      const next = run.next(node.id, result.branch);
      if (!next) {
        throw new NodeError(node.id, `Node ${run.label(node)} took its "${result.branch}" branch, which is not connected`);
      }
      nodeId = next;
    }
    run.outcome ??= 'completed';
    run.status = 'completed';
    run.currentNode = null;
    await finish(run, 'completed');
    return { outcome: run.outcome, status: run.status, vars: run.vars };
  } catch (err) {
    // continueAsNew() works by throwing; it is not a failure.
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) {
      run.status = 'cancelled';
      run.outcome = 'cancelled';
      await CancellationScope.nonCancellable(() => finish(run, 'cancelled'));
      throw err;
    }
    const nodeError = err instanceof NodeError ? err : undefined;
    run.status = 'failed';
    run.outcome = 'failed';
    run.error = { ...(nodeError ? { nodeId: nodeError.nodeId } : {}), message: (err as Error).message };
    await finish(run, 'failed');
    if (nodeError) {
      throw failure('NodeFailed', nodeError.message, { nodeId: nodeError.nodeId });
    }
    throw err;
  }
}

/** What a chat turn or the opening answers: the replies, and where the run stands now. Synchronous, so the handlers await exactly as before. */
function turnResult(run: Run, replies: MessageResult['replies']): MessageResult {
  return { replies, status: run.status, waitingFor: run.waitingFor, currentNode: run.currentNode, ...(run.outcome ? { outcome: run.outcome } : {}) };
}

function needsCustomer(run: Run): boolean {
  return run.engine.loadCustomer === 'always' || flowReadsCustomer([...run.nodes.values()], run.input.channel);
}

async function loadCustomer(run: Run, customerId: string): Promise<void> {
  try {
    const found = await crm.crmLookup({
      ctx: { runId: run.runId, flowId: run.input.flowId, nodeId: 'start', idempotencyKey: `${run.runId}:customer`, customerId },
      by: 'id',
      value: customerId,
    });
    if (found.found && found.customer) run.customer = customerScope(found.customer);
  } catch {
    // An unknown or unreachable CRM leaves `customer` empty; a crm.lookup node can still try later.
    run.emit('customer.unavailable', undefined, { customerId });
  }
}

function findStart(run: Run): string {
  for (const node of run.nodes.values()) if (node.type === 'start') return node.id;
  throw failure('FlowDefinitionError', 'The flow has no start node', {});
}

function startTrigger(run: Run): string {
  for (const node of run.nodes.values()) if (node.type === 'start') return String((node.data as { trigger?: unknown }).trigger ?? 'api');
  return 'api';
}

/** Records the outcome: the last run events, the run index, the status search attribute. */
async function finish(run: Run, status: 'completed' | 'failed' | 'cancelled'): Promise<void> {
  run.emit('run.finished', run.error?.nodeId, { status, outcome: run.outcome, ...(run.error ? { error: run.error.message } : {}) });
  if (run.engine.statusSearchAttribute) {
    // Runs started through the API carry Cauce's search attributes; others (a cluster that does not
    // know them, such as the time-skipping test server) must not upsert them or the task fails.
    // Runs recorded before this rule always upserted: patched() keeps their replay deterministic.
    const indexed = workflowInfo().typedSearchAttributes.get(SA_FLOW_ID) !== undefined;
    if (indexed || !run.patches.statusOnlyWhenIndexed) upsertSearchAttributes([{ key: SA_STATUS, value: status }]);
  }
  // Let every in-flight chat turn return its last replies before the run closes.
  if (!allHandlersFinished()) await condition(allHandlersFinished);
  const update = run.input.test ? undefined : indexUpdate(run, status);
  if (run.log.viaSink) {
    // The last events and the closed row in one sink entry: nothing to wait for, the run closes now.
    run.log.close(update);
    return;
  }
  // Local activities (since finish-with-local-activities): they run within this workflow task, so
  // the run closes in it; the last chat turn's answer waits for them (two inserts).
  const viaLocalActivities = run.patches.finishWithLocalActivities;
  await Promise.all([
    run.log.drain(viaLocalActivities),
    update === undefined
      ? Promise.resolve()
      : (viaLocalActivities ? local.updateRunIndex : updateRunIndex)(update)
          // A run whose index row cannot be written (bad data) still closes with its outcome.
          .catch(() => run.emit('run.index_failed', undefined)),
  ]);
}

/** The run's row in the `runs` index as it closes. */
function indexUpdate(run: Run, status: 'completed' | 'failed' | 'cancelled') {
  return {
    runId: run.runId,
    flowId: run.input.flowId,
    version: run.input.version,
    ...(run.input.customerId ? { customerId: run.input.customerId } : {}),
    status,
    ...(run.outcome ? { outcome: run.outcome } : {}),
    startedAt: run.startedAt,
    closedAt: new Date(Date.now()).toISOString(),
  };
}
