/**
 * The flow language must work in Temporal's workflow sandbox: it must bundle with Temporal's webpack
 * (no Node built-ins; liquidjs resolves to its browser build) and run in the deterministic VM. The
 * run is checked by replaying a one-task history of a fixture workflow that reports through a sink.
 */
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { languageSmoke, type SmokeResult } from './__fixtures__/language-smoke';

const silentLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function startedHistory(workflowType: string, arg: unknown): temporal.api.history.v1.History {
  const time = { seconds: 1714557600 };
  return temporal.api.history.v1.History.fromObject({
    events: [
      {
        eventId: 1,
        eventTime: time,
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: workflowType },
          taskQueue: { name: 'bundle-spec' },
          input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(arg)) }] },
          workflowTaskTimeout: { seconds: 10 },
          originalExecutionRunId: 'run-1',
          firstExecutionRunId: 'run-1',
          attempt: 1,
        },
      },
      {
        eventId: 2,
        eventTime: time,
        eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
        workflowTaskScheduledEventAttributes: { taskQueue: { name: 'bundle-spec' }, startToCloseTimeout: { seconds: 10 }, attempt: 1 },
      },
      {
        eventId: 3,
        eventTime: time,
        eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED',
        workflowTaskStartedEventAttributes: { scheduledEventId: 2, identity: 'bundle-spec', requestId: 'req-1' },
      },
    ],
  });
}

describe('Temporal workflow sandbox', () => {
  let code: string;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // A runtime already exists in this process; keep its logger.
    }
    ({ code } = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, '__fixtures__', 'bundle-workflow.ts'),
      logger: silentLogger,
    }));
  }, 120_000);

  it('bundles without Node built-ins, using the browser build of liquidjs', () => {
    expect(code).toContain('languageSmokeWorkflow');
    expect(code).toContain('liquid.browser');
    expect(code).not.toContain('liquid.node');
  });

  it('renders, evaluates and validates inside the sandbox exactly as in Node', async () => {
    const reported: SmokeResult[] = [];
    await Worker.runReplayHistory(
      {
        workflowBundle: { code },
        sinks: { smoke: { result: { fn: (_info, value: SmokeResult) => void reported.push(value), callDuringReplay: true } } },
      },
      startedHistory('languageSmokeWorkflow', 'ana'),
    );
    const expected = languageSmoke('ana');
    expect(expected).toEqual({
      text: 'Hola ANA, 2024',
      vip: true,
      daysSince: true,
      valid: true,
      invalidCodes: ['edge.dangling_source', 'edge.dangling_target', 'node.branch_unconnected'],
      durationMs: 5_400_000,
      paletteSize: 24,
      schemaType: 'object',
      parsed: true,
    });
    expect(reported).toEqual([expected]);
  }, 60_000);
});
