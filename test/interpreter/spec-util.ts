import type { RunEventType } from '../../contracts/run-events';
import { WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FlowDefinition, ValidateOptions } from '../../workflows/language';
import { validateFlow } from '../../workflows/language';
import type { FlowRunInput, Reply, RunSnapshot } from '../../contracts/run';
import { flow, InterpreterHarness } from './harness';

/** The custom activities the fake worker registers (`custom.<name>`), as the validator sees them. */
export const CUSTOM_ACTIVITIES: NonNullable<ValidateOptions['customActivities']> = {
  loyaltyPoints: {
    title: 'Loyalty points',
    inputSchema: { type: 'object', required: ['customerId'], properties: { customerId: { type: 'string' } } },
    outputSchema: { type: 'object', properties: { points: { type: 'number' } } },
  },
};

/** Asserts that `def` passes the validator (warnings allowed), so every test flow also exercises it. */
export function expectValid(def: FlowDefinition): FlowDefinition {
  const result = validateFlow(def, { customActivities: CUSTOM_ACTIVITIES, locale: 'en' });
  if (!result.valid) {
    throw new Error(`the test flow is not valid:\n${result.errors.map((e) => `  ${e.code} ${e.nodeId ?? ''} ${e.field ?? ''}: ${e.message}`).join('\n')}`);
  }
  expect(result.valid).toBe(true);
  return def;
}

/** `flow(...)` that must pass `validateFlow`. */
export function validFlow(...args: Parameters<typeof flow>): FlowDefinition {
  return expectValid(flow(...args));
}

/** The subflow child the subflow tests call: sets `greeting` from `input.name` and ends `enriched`. */
export function greetingChildFlow(): FlowDefinition {
  return validFlow(
    [
      ['start', 'start', { trigger: 'api' }],
      ['set', 'setVariables', { assignments: [{ variable: 'greeting', template: 'Hola {{ input.name }}' }] }],
      ['end', 'end', { outcome: 'enriched' }],
    ],
    [
      ['start', 'next', 'set'],
      ['set', 'next', 'end'],
    ],
  );
}

/** Validates the flow, then starts a run of it. */
export function startValid(h: InterpreterHarness, def: FlowDefinition, options: Partial<FlowRunInput> = {}, workflowType?: string): Promise<WorkflowHandle> {
  expectValid(def);
  return h.start(def, options, workflowType);
}

export const texts = (replies: Pick<Reply, 'text'>[]) => replies.map((r) => r.text);

/** Every bot/agent/system line of the transcript, in order. */
export const saidTexts = (s: RunSnapshot) => s.transcript.filter((t) => t.from !== 'customer').map((t) => t.text);

/** The path as `node:branch` pairs (the branch each visited node left by). */
export const pathOf = (s: RunSnapshot) => s.path.map((p) => `${p.nodeId}:${p.branch === undefined ? '…' : String(p.branch)}`);

/** The branch node `nodeId` took on its `visit`-th visit (0-based). */
export function branchOf(s: RunSnapshot, nodeId: string, visit = 0): string | null | undefined {
  return s.path.filter((p) => p.nodeId === nodeId)[visit]?.branch;
}

/** A node output or an activity input as the suites read it: JSON reached into freely; the assertion is the check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one deliberate `any` of the interpreter suites
type Json = any;

export const outputOf = (s: RunSnapshot, nodeId: string) => s.nodes[nodeId]?.output as Record<string, Json> | undefined;

/** The calls of a fake activity made by one run (fakes are shared by the tests of a file). */
export function callsFor(h: InterpreterHarness, name: string, runId: string): Json[] {
  return h.fakes
    .callsOf(name)
    .map((c) => c.input as Json)
    .filter((input) => (input?.ctx?.runId ?? input?.runId) === runId);
}

export type StoredEvent = Awaited<ReturnType<InterpreterHarness['events']>>[number];

export async function eventsOfType(h: InterpreterHarness, runId: string, type: RunEventType): Promise<StoredEvent[]> {
  return (await h.events(runId)).filter((e) => e.type === type);
}

/** Polls PostgreSQL until the run's events satisfy `predicate` (flushes are asynchronous while a run waits). */
export async function eventsUntil(
  h: InterpreterHarness,
  runId: string,
  predicate: (events: StoredEvent[]) => boolean,
  timeoutMs = 10_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await h.events(runId);
    if (predicate(events)) return events;
    if (Date.now() > deadline) throw new Error(`run events never matched; got ${events.map((e) => e.type).join(', ')}`);
    await sleep(100);
  }
}

/**
 * Awaits the run's result and asserts it failed because node `nodeId` failed: a `WorkflowFailedError`
 * whose cause is an `ApplicationFailure` of type `NodeFailed` naming the node.
 */
export async function expectNodeFailed(handle: WorkflowHandle, nodeId: string): Promise<ApplicationFailure> {
  const err = await handle.result().then(
    () => {
      throw new Error(`run ${handle.workflowId} completed; expected node "${nodeId}" to fail it`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  expect(failure.type).toBe('NodeFailed');
  expect(failure.nonRetryable).toBe(true);
  expect((failure.details?.[0] as { nodeId?: string } | undefined)?.nodeId).toBe(nodeId);
  return failure;
}

/** A non-retryable failure for `fakes.failNext`: node activities are local activities with retries. */
export const injected = (message: string) => ApplicationFailure.nonRetryable(message, 'Injected');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An ISO instant `ms` from now. */
export const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

export const isIso = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d\d-\d\dT/.test(value);
