import { FLOW_RUN_WORKFLOW } from '../../contracts/run-wire';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { flow, InterpreterHarness, workflowBundle } from '../../test/interpreter/harness';
import { testInfra, uniqueId } from '../../test/infra';
import { catalogForPalette, validateFlow } from '../../workflows/language';
import { createEnvSecretResolver } from '../http/secrets';
import { customActivityCatalog, customActivityImplementations, loadCustomActivities } from './registry';

/**
 * The custom activity SDK end to end: a developer drops one file into a folder of custom
 * activities; it appears in the catalog (palette and validator) and runs in a flow.
 */
describe('custom activities', () => {
  const h = new InterpreterHarness();
  let pool: Pool;
  let dir: string;
  beforeAll(async () => {
    await h.setup();
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-activities-'));
  }, 60_000);
  afterAll(async () => {
    await pool.end();
    await h.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ships the worked example, loyaltyPoints, with its JSON Schemas', () => {
    const catalog = customActivityCatalog(loadCustomActivities());
    expect(catalog.loyaltyPoints).toMatchObject({
      title: { es: 'Puntos de fidelidad', en: 'Loyalty points' },
      category: 'crm',
      inputSchema: { type: 'object', required: ['customerId'] },
    });
    expect((catalog.loyaltyPoints.outputSchema as { properties: Record<string, unknown> }).properties).toHaveProperty('tier');
  });

  it('a new file in the folder appears in the palette, is validated, and runs in a flow', async () => {
    const sdk = require.resolve('./sdk');
    fs.writeFileSync(
      path.join(dir, 'order-status.ts'),
      `import { defineActivity, z } from ${JSON.stringify(sdk.replace(/\.ts$/, ''))};
export default defineActivity({
  name: 'orderStatus',
  title: { es: 'Estado del pedido', en: 'Order status' },
  category: 'integration',
  input: z.object({ orderId: z.string().regex(/^ORD-\\d+$/) }),
  output: z.object({ status: z.enum(['shipped', 'pending']), eta: z.string() }),
  async run({ orderId }, ctx) {
    return { status: Number(orderId.slice(4)) % 2 ? 'shipped' : 'pending', eta: ctx.nodeId + ':2d' };
  },
});
`,
    );
    const activities = loadCustomActivities(dir);
    expect(activities.map((a) => a.name)).toEqual(['orderStatus']);
    const registry = customActivityCatalog(activities);
    const palette = catalogForPalette('es', registry);
    expect(palette.find((p) => p.type === 'activity:orderStatus')).toMatchObject({ title: 'Estado del pedido', category: 'integration' });

    const def = flow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['status', 'activity:orderStatus', { input: { orderId: '{{ input.order }}' } }],
        ['ok', 'message', { text: 'Tu pedido está {{ nodes.status.output.status }} ({{ nodes.status.output.eta }})' }],
        ['end', 'end', { outcome: 'resolved' }],
        ['failed', 'end', { outcome: 'failed', message: 'No encuentro ese pedido' }],
      ],
      [
        ['start', 'next', 'status'],
        ['status', 'ok', 'ok'],
        ['status', 'error', 'failed'],
        ['ok', 'next', 'end'],
      ],
    );
    expect(validateFlow(def, { customActivities: registry }).errors).toEqual([]);
    expect(validateFlow(def).errors.map((e) => e.code)).toContain('node.unknown_activity');

    const taskQueue = uniqueId('custom');
    const worker = await Worker.create({
      connection: h.env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...h.fakes.activities, ...customActivityImplementations(activities, { pool, secrets: createEnvSecretResolver({}) }) },
    });
    await worker.runUntil(async () => {
      const start = (order: string) =>
        h.client.workflow.execute(FLOW_RUN_WORKFLOW, {
          taskQueue,
          workflowId: uniqueId('run'),
          args: [{ flowId: 'f-custom', version: 1, definition: def, input: { order }, test: true }],
        });
      expect(await start('ORD-7')).toMatchObject({ outcome: 'resolved' });
      // Input that breaks the activity's schema: a non-retryable failure, and the node's error branch.
      expect(await start('not-an-order')).toMatchObject({ outcome: 'failed' });
    });
  });

  it('runs the worked example against the built-in CRM', async () => {
    const id = uniqueId('cust');
    await pool.query(`INSERT INTO customers (id, name, attributes) VALUES ($1, 'Marta', '{"loyaltyPoints": 1200}')`, [id]);
    const impl = customActivityImplementations(loadCustomActivities(), { pool, secrets: createEnvSecretResolver({}) });
    const ctx = { runId: 'r', flowId: 'f', nodeId: 'n', idempotencyKey: 'r:n:1' };
    await expect(impl['custom.loyaltyPoints']({ ctx, input: { customerId: id } })).resolves.toEqual({ points: 1200, tier: 'silver', found: true });
    await expect(impl['custom.loyaltyPoints']({ ctx, input: { customerId: 'nobody' } })).resolves.toEqual({ points: 0, tier: 'bronze', found: false });
    await expect(impl['custom.loyaltyPoints']({ ctx, input: {} })).rejects.toThrow(/Input of activity "loyaltyPoints" is invalid: customerId/);
  });
});
