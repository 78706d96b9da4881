/* eslint-disable @typescript-eslint/no-explicit-any */
// Alert rules (editor CRUD) and alerts (operator reads and acknowledges) over HTTP on the real API and
// PostgreSQL. The alerts come from one run of the check (libs/kpis/alerts.ts); the scheduled path is
// covered by libs/kpis/alerts.itest.ts.
import { randomUUID } from 'node:crypto';
import type { NotifyInput } from '../../../contracts/activities';
import { checkAlertRules } from '../../../upkeep/alert-check/check';
import { DEFAULT_KPI_SETTINGS } from '../../../libs/kpis/config';
import { SyntheticRuns } from '../../../libs/kpis/synthetic-events';
import { ApiHarness, flow } from '../../../test/e2e/api-harness';

const simple = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['end', 'end', { outcome: 'resolved' }],
  ],
  [['start', 'next', 'end']],
);

describe('API: alert rules and alerts', () => {
  const h = new ApiHarness();
  let flowId: string;
  beforeAll(async () => {
    await h.setup({ worker: false });
    flowId = await h.publishedFlow('Alertas', simple);
  }, 90_000);
  afterAll(() => h.teardown());

  const rule = (extra: Record<string, unknown> = {}) => ({
    name: 'Escalaciones > 15%',
    flowId,
    kpi: 'escalationRate',
    comparator: '>',
    threshold: 0.15,
    windowMinutes: 30,
    channel: 'email',
    recipient: 'ops@example.com',
    ...extra,
  });

  it('lets editors create, read, replace and delete rules, with every field checked', async () => {
    const created = await h.post('/api/alert-rules', rule(), 'editor');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...rule(), version: null, minSample: 1, enabled: true, createdBy: 'test editor', lastCheckedAt: null });
    const id = created.body.id;
    expect((await h.get(`/api/alert-rules/${id}`, 'editor')).body.name).toBe('Escalaciones > 15%');
    expect((await h.get(`/api/alert-rules?flowId=${flowId}`, 'editor')).body.items.map((r: any) => r.id)).toEqual([id]);

    const replaced = await h.put(
      `/api/alert-rules/${id}`,
      rule({ kpi: 'csatAverage', comparator: '<', threshold: 4, channel: null, recipient: null }),
      'editor',
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ kpi: 'csatAverage', comparator: '<', threshold: 4, channel: null, recipient: null });

    const bad = await h.post('/api/alert-rules', { name: '', kpi: 'mood', comparator: '!=', threshold: 'high', windowMinutes: 0 }, 'editor');
    expect(bad.status).toBe(400);
    for (const m of [
      'name must not be empty',
      'kpi must be one of',
      'comparator must be one of',
      'threshold must be a number',
      'windowMinutes must be at least 1',
    ]) {
      expect(JSON.stringify(bad.body)).toContain(m);
    }
    const half = await h.post('/api/alert-rules', rule({ recipient: null }), 'editor');
    expect(half.status).toBe(400);
    expect(half.body.message).toContain('channel and recipient go together');
    expect((await h.post('/api/alert-rules', rule({ flowId: randomUUID() }), 'editor')).status).toBe(404);

    expect((await h.del(`/api/alert-rules/${id}`, 'editor')).status).toBe(204);
    expect((await h.get(`/api/alert-rules/${id}`, 'editor')).status).toBe(404);
    expect((await h.del(`/api/alert-rules/${id}`, 'editor')).status).toBe(404);
  });

  it('keeps rules to editors and admins', async () => {
    for (const role of ['operator', 'system'] as const) {
      expect((await h.post('/api/alert-rules', rule(), role)).status).toBe(403);
      expect((await h.get('/api/alert-rules', role)).status).toBe(403);
    }
    expect((await h.post('/api/alert-rules', rule({ name: 'admin rule' }), 'admin')).status).toBe(201);
  });

  it('lists alerts until an operator acknowledges them', async () => {
    const created = (await h.post('/api/alert-rules', rule({ name: 'to fire' }), 'editor')).body;
    // 3 runs in the last 10 minutes, 2 escalated: 66.7% > 15%.
    const runs = new SyntheticRuns(flowId);
    for (let i = 0; i < 3; i++) {
      runs.run(`run-alert-${randomUUID()}`, { start: new Date(Date.now() - 10 * 60_000), customerId: `c${i}` }, [
        ...(i < 2 ? [[1, 'escalation.tier', { tier: 0 }, 'human'] as any] : []),
        [2, 'run.finished', { outcome: i < 2 ? 'escalated' : 'resolved' }],
      ]);
    }
    await runs.insert(h.pool);
    const sent: NotifyInput[] = [];
    const result = await checkAlertRules(h.pool, {
      settings: DEFAULT_KPI_SETTINGS,
      notify: async (n) => (sent.push(n), { outboxId: randomUUID(), status: 'sent' }),
      ruleIds: [created.id],
    });
    expect(result.fired).toHaveLength(1);
    expect(sent).toHaveLength(1);

    const open = await h.get(`/api/alerts?flowId=${flowId}`, 'operator');
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    const alert = open.body.items[0];
    expect(alert).toMatchObject({
      ruleId: created.id,
      ruleName: 'to fire',
      kpi: 'escalationRate',
      sample: 3,
      acknowledgedAt: null,
      notification: { status: 'sent' },
    });
    expect(alert.value).toBeCloseTo(2 / 3, 10);
    expect((await h.get(`/api/alerts/${alert.id}`, 'editor')).body.id).toBe(alert.id);

    // Editors read alerts but do not acknowledge them; systems do neither.
    expect((await h.post(`/api/alerts/${alert.id}/acknowledge`, undefined, 'editor')).status).toBe(403);
    expect((await h.get('/api/alerts', 'system')).status).toBe(403);

    const acked = await h.post(`/api/alerts/${alert.id}/acknowledge`, undefined, 'operator');
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: alert.id, acknowledgedBy: 'test operator' });
    expect(acked.body.acknowledgedAt).not.toBeNull();
    expect((await h.get(`/api/alerts?flowId=${flowId}`, 'operator')).body.items).toEqual([]);
    expect((await h.get(`/api/alerts?flowId=${flowId}&status=acknowledged`, 'operator')).body.items.map((a: any) => a.id)).toEqual([alert.id]);
    const again = await h.post(`/api/alerts/${alert.id}/acknowledge`, undefined, 'admin');
    expect(again.body.acknowledgedBy).toBe('test operator');
    expect((await h.post(`/api/alerts/${randomUUID()}/acknowledge`, undefined, 'operator')).status).toBe(404);
    expect((await h.get('/api/alerts?status=closed', 'operator')).status).toBe(400);
  });

  it('audits rule changes (with what an update changed) and the acknowledgement that changes an alert', async () => {
    const audit = async (targetId: string) => {
      const res = await h.get(`/api/audit?targetId=${targetId}`, 'admin');
      expect(res.status).toBe(200);
      return [...res.body.items].reverse(); // oldest first
    };
    const created = await h.post('/api/alert-rules', rule({ name: 'audited' }), 'editor');
    const id = created.body.id;
    const settings = { ...rule({ name: 'audited' }), version: null, minSample: 1, enabled: true };
    expect(await audit(id)).toEqual([
      expect.objectContaining({
        action: 'alert_rule.created',
        targetType: 'alert_rule',
        targetId: id,
        actorName: 'test editor',
        actorRole: 'editor',
        details: settings,
      }),
    ]);

    expect((await h.put(`/api/alert-rules/${id}`, rule({ name: 'audited', threshold: 0.3, enabled: false }), 'editor')).status).toBe(200);
    // A refused update (400) and one of a missing rule (404) leave no entry.
    expect((await h.put(`/api/alert-rules/${id}`, rule({ recipient: null }), 'editor')).status).toBe(400);
    expect((await h.del(`/api/alert-rules/${randomUUID()}`, 'editor')).status).toBe(404);
    expect((await h.del(`/api/alert-rules/${id}`, 'admin')).status).toBe(204);
    const entries = await audit(id);
    expect(entries.map((e: any) => e.action)).toEqual(['alert_rule.created', 'alert_rule.updated', 'alert_rule.deleted']);
    expect(entries[1].details).toEqual({ name: 'audited', before: { threshold: 0.15, enabled: true }, after: { threshold: 0.3, enabled: false } });
    expect(entries[2]).toMatchObject({ actorId: 'admin', actorRole: 'admin', details: { ...settings, threshold: 0.3, enabled: false } });
    // The action filter finds them too.
    const updates = await h.get('/api/audit?action=alert_rule.updated', 'admin');
    expect(updates.body.items.map((e: any) => e.targetId)).toContain(id);
    // Only admins read the audit log.
    expect((await h.get(`/api/audit?targetId=${id}`, 'editor')).status).toBe(403);

    // An alert: the first acknowledgement is audited, the repeat (which changes nothing) is not.
    const firing = (await h.post('/api/alert-rules', rule({ name: 'audited alert' }), 'editor')).body;
    const runs = new SyntheticRuns(flowId);
    for (let i = 0; i < 3; i++) {
      runs.run(`run-alert-${randomUUID()}`, { start: new Date(Date.now() - 10 * 60_000), customerId: `a${i}` }, [
        [1, 'escalation.tier', { tier: 0 }, 'human'],
        [2, 'run.finished', { outcome: 'escalated' }],
      ]);
    }
    await runs.insert(h.pool);
    const result = await checkAlertRules(h.pool, {
      settings: DEFAULT_KPI_SETTINGS,
      notify: async () => ({ outboxId: randomUUID(), status: 'sent' }),
      ruleIds: [firing.id],
    });
    const alertId = result.fired[0];
    expect(alertId).toBeDefined();
    expect(await audit(alertId)).toEqual([]);
    expect((await h.post(`/api/alerts/${alertId}/acknowledge`, undefined, 'operator')).status).toBe(200);
    expect((await h.post(`/api/alerts/${alertId}/acknowledge`, undefined, 'operator')).status).toBe(200);
    const acks = await audit(alertId);
    expect(acks).toEqual([
      expect.objectContaining({
        action: 'alert.acknowledged',
        targetType: 'alert',
        targetId: alertId,
        actorName: 'test operator',
        actorRole: 'operator',
        details: expect.objectContaining({
          ruleId: firing.id,
          ruleName: 'audited alert',
          flowId,
          kpi: 'escalationRate',
          value: expect.any(Number),
          resolved: false,
        }),
      }),
    ]);
  });

  it('pages alerts by cursor', async () => {
    const page1 = await h.get(`/api/alerts?status=all&limit=1`, 'operator');
    expect(page1.body.items).toHaveLength(1);
    if (page1.body.nextCursor) {
      const page2 = await h.get(`/api/alerts?status=all&limit=1&cursor=${page1.body.nextCursor}`, 'operator');
      expect(page2.status).toBe(200);
      expect(page2.body.items[0]?.id).not.toBe(page1.body.items[0].id);
    }
    expect((await h.get(`/api/alerts?cursor=garbage`, 'operator')).status).toBe(400);
  });

  it('keeps a key limited to flows to its flows', async () => {
    const otherFlow = await h.publishedFlow('Otra', simple);
    const scoped = (await h.post('/api/api-keys', { name: 'solo otra', role: 'editor', flowIds: [otherFlow] })).body.key;
    const everyFlow = await h.post('/api/alert-rules', rule({ flowId: null }), scoped);
    expect(everyFlow.status).toBe(400);
    expect(everyFlow.body.message).toContain('flowId is required');
    expect((await h.post('/api/alert-rules', rule(), scoped)).status).toBe(404); // flowId outside the scope
    expect((await h.post('/api/alert-rules', rule({ flowId: otherFlow }), scoped)).status).toBe(201);
    const listed = (await h.get('/api/alert-rules', scoped)).body.items;
    expect(listed.every((r: any) => r.flowId === otherFlow)).toBe(true);
    expect((await h.get(`/api/alerts?flowId=${flowId}&status=all`, scoped)).body.items).toEqual([]);
  });
});
