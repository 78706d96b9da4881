// The worker's side of the upkeep jobs, on the real Temporal dev server: the activity names and the
// schedule ids and workflow types that runs and schedules already in Temporal refer to (renaming one
// would orphan them), and a job turned off by its variable.
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../test/infra';
import { createUpkeepActivities, ensureUpkeepSchedulesOnStart } from './index';

const SCHEDULES = {
  'cauce-alert-check': 'alertCheckWorkflow',
  'cauce-runs-reconcile': 'reconcileRunsWorkflow',
  'cauce-outbox-dispatch': 'dispatchOutboxWorkflow',
};

describe('upkeep on the worker', () => {
  let pool: Pool;
  let client: Client;
  beforeAll(async () => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    client = new Client({ connection: await Connection.connect({ address: testInfra().temporalAddress }) });
  });
  afterAll(async () => {
    for (const id of Object.keys(SCHEDULES))
      await client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await client.connection.close();
    await pool.end();
  });

  it('registers the three activities by their stable names', () => {
    const activities = createUpkeepActivities({ pool, env: {}, client });
    expect(Object.keys(activities).sort()).toEqual(['checkAlerts', 'dispatchOutbox', 'reconcileRuns']);
    for (const fn of Object.values(activities)) expect(typeof fn).toBe('function');
  });

  it('creates each schedule under its stable id and workflow type, and none for a job set to off', async () => {
    const taskQueue = uniqueId('upkeep');
    const lines: string[] = [];
    const env = { KPI_ALERT_CHECK_INTERVAL: '5m', CAUCE_RUN_RECONCILE_INTERVAL: '10m', CAUCE_OUTBOX_DISPATCH_INTERVAL: 'off' };
    await ensureUpkeepSchedulesOnStart({ address: testInfra().temporalAddress, namespace: 'default', taskQueue, env, log: (line) => lines.push(line) });

    for (const [id, every] of [
      ['cauce-alert-check', 5 * 60_000],
      ['cauce-runs-reconcile', 10 * 60_000],
    ] as const) {
      const d = await client.schedule.getHandle(id).describe();
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: SCHEDULES[id], taskQueue, workflowId: id });
      expect(Number(d.spec.intervals?.[0]?.every)).toBe(every);
    }
    await expect(client.schedule.getHandle('cauce-outbox-dispatch').describe()).rejects.toThrow();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('[alerts] schedule cauce-alert-check created'),
        expect.stringContaining('[runs] schedule cauce-runs-reconcile created'),
        expect.stringContaining('CAUCE_OUTBOX_DISPATCH_INTERVAL=off'),
      ]),
    );
  });
});
