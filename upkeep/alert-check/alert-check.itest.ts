// Alerts end to end on the real Temporal dev server and PostgreSQL: a rule, synthetic events that
// breach it, the real Schedule running alertCheckWorkflow → checkAlerts → notify (outbox), the alert
// listed until acknowledged, resolved when the KPI recovers; plus the rule functions and edge cases.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createNotifyActivities } from '../../activities/notify/notify.activities';
import type { NotifyInput } from '../../contracts/activities';
import { AlertRepository } from '../../libs/kpis/alert.repository';
import { DEFAULT_KPI_SETTINGS } from '../../libs/kpis/config';
import { SyntheticRuns } from '../../libs/kpis/synthetic-events';
import { testInfra, uniqueId } from '../../test/infra';
import { createAlertCheckActivities } from './alert-check.activities';
import { checkAlertRules } from './check';
import { ensureAlertSchedule } from './schedule';

let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: testInfra().databaseUrl, max: 6 });
});
afterAll(() => pool.end());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/** `n` finished runs started `minutesAgo` minutes ago, `escalated` of them escalated. */
function runs(flowId: string, n: number, escalated: number, ago = 5): SyntheticRuns {
  const r = new SyntheticRuns(flowId);
  for (let i = 0; i < n; i++) {
    r.run(`${flowId}-${randomUUID()}`, { start: minutesAgo(ago), customerId: `c-${i}` }, [
      ...(i < escalated
        ? [[1, 'escalation.tier', { tier: 0, queue: 'soporte', sla: '10m' }, 'human'] as [number, string, Record<string, unknown>, string]]
        : []),
      [2, 'run.finished', { status: 'completed', outcome: i < escalated ? 'escalated' : 'resolved' }],
    ]);
  }
  return r;
}

async function until<T>(check: () => Promise<T | undefined | false | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('alerts through the real schedule', () => {
  const taskQueue = uniqueId('alerts');
  const scheduleId = uniqueId('cauce-alert-check-test');
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;

  beforeAll(async () => {
    const { temporalAddress } = testInfra();
    const notify = createNotifyActivities({ pool }).notify; // no provider: the notification waits in the outbox
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: temporalAddress }),
      taskQueue,
      // The upkeep workflows only (a small bundle): this worker has no flow activities.
      workflowsPath: require.resolve('../workflows'),
      activities: createAlertCheckActivities({ pool, notify, settings: DEFAULT_KPI_SETTINGS }),
    });
    running = worker.run();
    client = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
  });

  afterAll(async () => {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    worker.shutdown();
    await running;
    await client.connection.close();
  });

  it('fires once on a breach, notifies, lists the alert until acknowledged, and resolves when the KPI recovers', async () => {
    const flowId = randomUUID();
    const rule = await new AlertRepository(pool).createRule(
      {
        name: 'Escalations above 15%',
        flowId,
        kpi: 'escalationRate',
        comparator: '>',
        threshold: 0.15,
        windowMinutes: 60,
        minSample: 3,
        channel: 'email',
        recipient: 'ops@example.com',
      },
      'test',
    );
    // 2 of 3 finished runs escalated in the last hour: 66.7% > 15%.
    await runs(flowId, 3, 2).insert(pool);

    // The schedule every 2 s, limited to this rule; the first check comes from the schedule itself.
    expect(await ensureAlertSchedule(client, taskQueue, '2s', { scheduleId, input: { ruleIds: [rule.id] } })).toBe('created');
    expect(await ensureAlertSchedule(client, taskQueue, '2s', { scheduleId, input: { ruleIds: [rule.id] } })).toBe('unchanged');

    const [alert] = await until(async () => {
      const a = await new AlertRepository(pool).listAlerts({ ruleId: rule.id });
      return a.length && a[0].notification.notifiedAt ? a : undefined;
    });
    expect(alert).toMatchObject({
      ruleId: rule.id,
      flowId,
      kpi: 'escalationRate',
      comparator: '>',
      threshold: 0.15,
      sample: 3,
      resolvedAt: null,
      acknowledgedAt: null,
    });
    expect(alert.value).toBeCloseTo(2 / 3, 10);
    expect(alert.notification.status).toBe('pending'); // in the outbox; no email provider configured
    const outbox = await pool.query(`SELECT channel, recipient, subject, body, purpose, flow_id FROM outbox WHERE idempotency_key = $1`, [`alert:${alert.id}`]);
    expect(outbox.rows).toEqual([
      expect.objectContaining({ channel: 'email', recipient: 'ops@example.com', subject: '[Cauce] Escalations above 15%', purpose: 'alert', flow_id: flowId }),
    ]);
    expect(outbox.rows[0].body).toContain('escalationRate is 66.7%');

    // Later checks while it still breaches: the same alert, no second notification.
    const checked = alert.lastCheckedAt;
    await until(async () => (await new AlertRepository(pool).listAlerts({ ruleId: rule.id }))[0]?.lastCheckedAt !== checked);
    expect(await new AlertRepository(pool).listAlerts({ ruleId: rule.id, status: 'all' })).toHaveLength(1);
    expect((await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE idempotency_key LIKE 'alert:%' AND flow_id = $1`, [flowId])).rows[0].n).toBe(1);

    // Acknowledged: gone from the default (open) list, kept under acknowledged; acknowledging again keeps the first.
    const acked = await new AlertRepository(pool).acknowledge(alert.id, 'marta');
    expect(acked).toMatchObject({ acknowledgedBy: 'marta' });
    expect(await new AlertRepository(pool).listAlerts({ ruleId: rule.id })).toEqual([]);
    expect((await new AlertRepository(pool).acknowledge(alert.id, 'someone else'))!.acknowledgedBy).toBe('marta');
    expect((await new AlertRepository(pool).listAlerts({ ruleId: rule.id, status: 'acknowledged' })).map((a) => a.id)).toEqual([alert.id]);

    // 20 more runs without escalation: 2/23 = 8.7% ≤ 15% → the next check resolves it.
    await runs(flowId, 20, 0).insert(pool);
    const resolved = await until(async () => (await new AlertRepository(pool).listAlerts({ ruleId: rule.id, status: 'all' })).find((a) => a.resolvedAt));
    expect(resolved.id).toBe(alert.id);
    expect(resolved.lastValue).toBeCloseTo(2 / 23, 10);
    expect(await new AlertRepository(pool).listAlerts({ ruleId: rule.id, status: 'active' })).toEqual([]);
    expect((await new AlertRepository(pool).getRule(rule.id))!.lastValue).toBeCloseTo(2 / 23, 10);

    // The schedule follows a new interval.
    expect(await ensureAlertSchedule(client, taskQueue, '1m', { scheduleId, input: { ruleIds: [rule.id] } })).toBe('updated');
    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(Number(described.spec.intervals?.[0]?.every)).toBe(60_000);
  });
});

describe('the alert check', () => {
  const sent: NotifyInput[] = [];
  const notify = async (input: NotifyInput) => {
    sent.push(input);
    return { outboxId: randomUUID(), status: 'sent' as const };
  };
  const check = (ruleIds: string[], settings = DEFAULT_KPI_SETTINGS) => checkAlertRules(pool, { settings, notify, ruleIds });

  it('waits for the minimum sample, compares in every direction, and notifies the default recipient', async () => {
    const flowId = randomUUID();
    await runs(flowId, 2, 1).insert(pool); // 1/2 = 50%
    const base = { flowId, kpi: 'escalationRate' as const, windowMinutes: 30 };
    const small = await new AlertRepository(pool).createRule({ ...base, name: 'needs 3', comparator: '>', threshold: 0.1, minSample: 3 }, null);
    const below = await new AlertRepository(pool).createRule({ ...base, name: 'below', comparator: '<', threshold: 0.6 }, null);
    const exact = await new AlertRepository(pool).createRule({ ...base, name: 'at least', comparator: '>=', threshold: 0.5 }, null);
    const not = await new AlertRepository(pool).createRule({ ...base, name: 'no', comparator: '<=', threshold: 0.4 }, null);
    const settings = { ...DEFAULT_KPI_SETTINGS, alertDefaultNotify: { channel: 'slack' as const, to: '#cx-alerts' } };
    const result = await check([small.id, below.id, exact.id, not.id], settings);
    expect(result.checked).toBe(4);
    expect(result.skipped.map((s) => s.ruleId)).toEqual([small.id]);
    expect(result.fired.length).toBe(2);
    const fired = await new AlertRepository(pool).listAlerts({ flowId });
    expect(fired.map((a) => a.ruleName).sort()).toEqual(['at least', 'below']);
    expect(sent.filter((s) => s.to === '#cx-alerts').map((s) => s.channel)).toEqual(['slack', 'slack']);
    expect(sent.every((s) => s.ctx.idempotencyKey.startsWith('alert:') && s.purpose === 'alert')).toBe(true);
    // A second check fires nothing new.
    expect((await check([below.id, exact.id], settings)).fired).toEqual([]);
  });

  it('records an alert without a recipient, and retries a notification that failed', async () => {
    const flowId = randomUUID();
    await runs(flowId, 4, 4).insert(pool);
    const silent = await new AlertRepository(pool).createRule({ name: 'silent', flowId, kpi: 'escalationRate', comparator: '>', threshold: 0.5 }, null);
    await check([silent.id]);
    expect((await new AlertRepository(pool).listAlerts({ ruleId: silent.id }))[0].notification).toMatchObject({ status: 'none' });

    const flaky = await new AlertRepository(pool).createRule(
      { name: 'flaky', flowId, kpi: 'runs', comparator: '>=', threshold: 4, channel: 'webhook', recipient: 'https://hooks.example.com/x' },
      null,
    );
    let fail = true;
    const flakyNotify = async (input: NotifyInput) => {
      if (fail) throw new Error('provider down');
      return notify(input);
    };
    await checkAlertRules(pool, { settings: DEFAULT_KPI_SETTINGS, notify: flakyNotify, ruleIds: [flaky.id] });
    expect((await new AlertRepository(pool).listAlerts({ ruleId: flaky.id }))[0].notification).toMatchObject({
      status: 'failed',
      error: 'provider down',
      notifiedAt: null,
    });
    fail = false;
    const again = await checkAlertRules(pool, { settings: DEFAULT_KPI_SETTINGS, notify: flakyNotify, ruleIds: [flaky.id] });
    expect(again.fired).toEqual([]);
    expect(again.notified).toHaveLength(1);
    expect((await new AlertRepository(pool).listAlerts({ ruleId: flaky.id }))[0].notification.status).toBe('sent');
  });

  it('watches CSAT and response time, with no alert while there is no data', async () => {
    const flowId = randomUUID();
    const csat = await new AlertRepository(pool).createRule({ name: 'CSAT below 4', flowId, kpi: 'csatAverage', comparator: '<', threshold: 4 }, null);
    const p95 = await new AlertRepository(pool).createRule({ name: 'p95 above 2 s', flowId, kpi: 'responseTimeP95Ms', comparator: '>', threshold: 2000 }, null);
    expect((await check([csat.id, p95.id])).skipped).toHaveLength(2);
    await new SyntheticRuns(flowId)
      .run(`${flowId}-1`, { start: minutesAgo(3), customerId: 'a' }, [
        [1, 'message.in', { from: 'customer' }, 'ask'],
        [4, 'message.out', { from: 'bot' }, 'ask'],
        [5, 'csat', { score: 3 }, 'survey'],
      ])
      .insert(pool);
    const r = await check([csat.id, p95.id]);
    expect(r.fired).toHaveLength(2);
    const alerts = await new AlertRepository(pool).listAlerts({ flowId });
    expect(alerts.find((a) => a.kpi === 'csatAverage')!.value).toBe(3);
    expect(alerts.find((a) => a.kpi === 'responseTimeP95Ms')!.value).toBe(3000);
  });

  it('keeps rules and alerts consistent through update and delete', async () => {
    const flowId = randomUUID();
    await runs(flowId, 2, 2).insert(pool);
    const rule = await new AlertRepository(pool).createRule({ name: 'r', flowId, kpi: 'escalationRate', comparator: '>', threshold: 0.5 }, 'ed');
    expect((await new AlertRepository(pool).listRules({ flowId })).map((r) => r.id)).toEqual([rule.id]);
    await check([rule.id]);
    const updated = await new AlertRepository(pool).updateRule(rule.id, {
      name: 'r2',
      flowId,
      kpi: 'escalationRate',
      comparator: '>',
      threshold: 1,
      enabled: false,
    });
    expect(updated).toMatchObject({ name: 'r2', threshold: 1, enabled: false, createdBy: 'ed' });
    expect((await check([rule.id])).checked).toBe(0); // disabled
    expect(await new AlertRepository(pool).deleteRule(rule.id)).toBe(true);
    const [alert] = await new AlertRepository(pool).listAlerts({ flowId });
    expect(alert).toMatchObject({ ruleId: null, ruleName: 'r' });
    expect(alert.resolvedAt).not.toBeNull();
    expect(await new AlertRepository(pool).deleteRule(rule.id)).toBe(false);
    await expect(new AlertRepository(pool).createRule({ name: 'bad', kpi: 'nope' as never, comparator: '>', threshold: 1 }, null)).rejects.toThrow(
      /kpi must be one of/,
    );
    await expect(new AlertRepository(pool).createRule({ name: 'bad', kpi: 'runs', comparator: '>', threshold: 1, channel: 'email' }, null)).rejects.toThrow(
      /channel and recipient/,
    );
  });
});
