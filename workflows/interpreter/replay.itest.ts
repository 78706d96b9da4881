import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WithStartWorkflowOperation, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { flow, InterpreterHarness, ONE_TURN_FLOW, workflowBundle } from '../../test/interpreter/harness';
import { testInfra } from '../../test/infra';
import { abExperiment, supportTriage } from '../language';
import { FLOW_RUN_WORKFLOW, LEGACY_FLOW_RUN_WORKFLOW, openingUpdate } from '../../contracts/run-wire';
import type { RunLogEntry } from '../../contracts/run-log';
import { runLogSinks } from '../../activities/run-events/run-log-sink';

/**
 * Replays recorded histories against the current interpreter, so a change that is not
 * deterministic for runs in flight fails here instead of in production. Changes to the interpreter
 * that alter the commands a run emits must go behind `patched()`.
 *
 * The histories in __histories__ were recorded from real runs on the dev server: the first four by
 * the legacy type (flowRunWorkflow), `*-v2` by flowRunV2. To record them again (only when a change
 * is meant to break old runs, which is never for deployed flows), all or some by name:
 *   CAUCE_RECORD_HISTORIES=1 npx jest --selectProjects integration --testPathPattern replay
 *   CAUCE_RECORD_HISTORIES=one-turn-conversation-v2 npx jest --selectProjects integration --testPathPattern replay
 */
const dir = path.join(__dirname, '__histories__');
const recordOnly = process.env.CAUCE_RECORD_HISTORIES;
const recording = recordOnly !== undefined && recordOnly !== '' && recordOnly !== '0';
const records = (name: string) => recordOnly === '1' || (recordOnly ?? '').split(',').includes(name);

/** Replays a history with the run-log sink collecting what the run hands over (as a rebuild does). */
async function replay(history: unknown, name: string): Promise<RunLogEntry[]> {
  const entries: RunLogEntry[] = [];
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks: runLogSinks({ record: (e) => entries.push(e) }) }, history, name);
  return entries;
}

function exportHistory(workflowId: string, runId?: string): unknown {
  const { temporalCli, temporalAddress } = testInfra();
  const args = ['workflow', 'show', '--workflow-id', workflowId, '--address', temporalAddress, '--output', 'json'];
  if (runId) args.push('--run-id', runId);
  return JSON.parse(execFileSync(temporalCli, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

const counter = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['ask', 'ask', { text: '¿Algo más? ({{ vars.turns }})', variable: 'said' }],
    ['count', 'setVariables', { assignments: [{ variable: 'turns', rule: { '+': [{ var: 'vars.turns' }, 1] } }] }],
  ],
  [
    ['start', 'next', 'ask'],
    ['ask', 'reply', 'count'],
    ['count', 'next', 'ask'],
  ],
);
counter.variables = [{ name: 'turns', type: 'number', default: 0 }];

const oneTurn = ONE_TURN_FLOW;

describe('replay of recorded histories', () => {
  const h = new InterpreterHarness();
  beforeAll(() => h.setup(), 60_000);
  afterAll(() => h.teardown());

  const scenarios: Record<string, () => Promise<WorkflowHandleWithFirstExecutionRunId>> = {
    'support-triage-escalated': async () => {
      const def = JSON.parse(JSON.stringify(supportTriage).replace(/"sla":"5m"/, '"sla":"1s"'));
      const handle = await h.start(def, { customerId: 'c-replay' }, LEGACY_FLOW_RUN_WORKFLOW);
      await h.say(handle, '¡Esto es horrible, estoy harto!');
      await h.until(handle, (s) => s.escalation?.tier === 1);
      await h.signal(handle, { type: 'agent.accepted', id: 'acc-1', data: { agent: 'Lucía' } });
      await h.until(handle, (s) => s.escalation?.status === 'accepted');
      await h.say(handle, { text: 'Hola, soy Lucía. Lo reviso ahora.', from: 'agent' });
      await h.signal(handle, { type: 'agent.resolved', id: 'res-1' });
      await handle.result();
      return handle;
    },
    'ab-experiment': async () => {
      const handle = await h.start(abExperiment, { customerId: 'c-ab-1' }, LEGACY_FLOW_RUN_WORKFLOW);
      await h.until(handle, (s) => s.waitingFor === 'reply' || s.status === 'completed');
      if ((await h.state(handle)).status !== 'completed') await h.say(handle, 'sí');
      await handle.result();
      return handle;
    },
    'one-turn-conversation': () => oneTurnConversation(LEGACY_FLOW_RUN_WORKFLOW),
    'one-turn-conversation-v2': () => oneTurnConversation(FLOW_RUN_WORKFLOW),
    'continued-as-new': async () => {
      const handle = await h.start(counter, { limits: { maxUpdatesPerExecution: 2 } }, LEGACY_FLOW_RUN_WORKFLOW);
      for (let i = 0; i < 5; i++) await h.say(handle, `m${i}`);
      await handle.terminate('recorded');
      return handle;
    },
  };

  async function oneTurnConversation(workflowType: string): Promise<WorkflowHandleWithFirstExecutionRunId> {
    {
      const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
        taskQueue: h.taskQueue,
        workflowId: `run-${randomUUID()}`,
        args: [{ flowId: randomUUID(), version: 1, definition: oneTurn, customerId: 'c-replay-2' }],
        workflowIdConflictPolicy: 'FAIL',
      });
      await h.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation, updateId: 'opening' });
      const handle = await startWorkflowOperation.workflowHandle();
      await h.say(handle, 'quiero mi factura');
      await handle.result();
      return Object.assign(handle, { firstExecutionRunId: (await handle.describe()).runId });
    }
  }

  if (recording) {
    it.each(Object.keys(scenarios).filter(records))('records %s', async (name) => {
      h.fakes.knowledge.push({ id: 'kb1', title: 'Factura', keywords: ['factura'], answer: 'Descárgala en tu área de cliente.' });
      const handle = await scenarios[name]();
      // The first execution of the chain: what a deployed worker would replay after a restart.
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(exportHistory(handle.workflowId, handle.firstExecutionRunId), null, 1));
    });
  }

  const recorded = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];

  it('has recorded histories to replay, of both workflow types', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    expect(recorded).toContain('one-turn-conversation-v2.json');
  });

  it.each(recorded)('replays %s without a determinism violation', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    await expect(replay(history, file)).resolves.toBeDefined();
  });

  it("a flowRunV2 history has the floor's shape: no marker but the node activity's, no search-attribute upsert, no timer", () => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'one-turn-conversation-v2.json'), 'utf8'));
    const types: string[] = history.events.map((e: { eventType: string }) => e.eventType.replace(/^EVENT_TYPE_/, ''));
    expect(types.filter((t) => /SEARCH_ATTRIBUTES|TIMER|ACTIVITY_TASK/.test(t))).toEqual([]);
    // One marker: the ai.classify local activity; no patch marker, no run-event or index activity.
    expect(types.filter((t) => t === 'MARKER_RECORDED')).toHaveLength(1);
    expect(types[0]).toBe('WORKFLOW_EXECUTION_STARTED');
    expect(types[types.length - 1]).toBe('WORKFLOW_EXECUTION_COMPLETED');
  });

  it('replaying a flowRunV2 history hands over every run event and the closing row again (how a lost close is rebuilt)', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'one-turn-conversation-v2.json'), 'utf8'));
    const entries = await replay(history, 'rebuild');
    const events = entries.flatMap((e) => e.events?.events ?? []);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].type).toBe('run.started');
    expect(events[events.length - 1]).toMatchObject({ type: 'run.finished', data: { status: 'completed', outcome: 'resolved' } });
    expect(events.some((e) => e.type === 'node.entered' && e.nodeId === 'classify')).toBe(true);
    const closes = entries.filter((e) => e.close).map((e) => e.close);
    expect(closes).toEqual([expect.objectContaining({ status: 'completed', outcome: 'resolved' })]);
    // The close travels with the last events, so a closed row always means every event is in.
    expect(entries[entries.length - 1].close).toBeDefined();
    expect(entries[entries.length - 1].events?.events.at(-1)?.type).toBe('run.finished');
  });

  it('the legacy type hands nothing to the sink: its events went through activities, recorded in its history', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'one-turn-conversation.json'), 'utf8'));
    expect(await replay(history, 'legacy')).toEqual([]);
  });

  it('catches a non-deterministic change: the same history with a node that no longer calls its activity', async () => {
    const history = fs.readFileSync(path.join(dir, 'support-triage-escalated.json'), 'utf8');
    // The pinned definition travels base64-encoded in the start event's input; rewrite the sentiment
    // node as a goal node, as an unpatched interpreter change that skips the activity would.
    const tampered = history.replace(/"data": "([A-Za-z0-9+/=]+)"/g, (match, b64: string) => {
      const input = Buffer.from(b64, 'base64').toString('utf8');
      if (!input.includes('"ai.sentiment"')) return match;
      const changed = input.replace('"type":"ai.sentiment"', '"type":"goal"');
      expect(changed).not.toBe(input);
      return `"data": "${Buffer.from(changed).toString('base64')}"`;
    });
    expect(tampered).not.toBe(history);
    const err = await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, JSON.parse(tampered), 'tampered').catch((e) => e);
    expect(err?.name).toBe('DeterminismViolationError');
    expect(err.message).toMatch(/Nondeterminism error/);
  });
});
