import { Pool } from 'pg';
import { testInfra, uniqueId } from './infra';
import { startWebhookReceiver } from './webhook-receiver';

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * What the outbox suites share (activities/notify, upkeep/outbox-dispatch): a pool on the test
 * PostgreSQL and a real webhook receiver answering 204, set up around the calling `describe`.
 * `onReady` hands the pool and the receiver to the suite's own variables.
 */
export function outboxFixture(onReady: (pool: Pool, receiver: WebhookReceiver) => void) {
  let pool: Pool | undefined;
  let receiver: WebhookReceiver | undefined;
  beforeAll(async () => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
    receiver = await startWebhookReceiver();
    onReady(pool, receiver);
  });
  afterAll(async () => {
    await receiver?.close();
    await pool?.end();
  });
  beforeEach(() => receiver?.setStatus(204));
  return {
    secret: 'whsec_integration',
    /** A fresh activity context, as a notify node's visit would have. */
    ctxFor: () => {
      const runId = uniqueId('run');
      return { runId, flowId: uniqueId('flow'), nodeId: 'alert', idempotencyKey: `${runId}:alert:1` };
    },
    row: async (id: string) => (await pool!.query('SELECT * FROM outbox WHERE id = $1', [id])).rows[0],
  };
}
