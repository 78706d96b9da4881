/* eslint-disable @typescript-eslint/no-explicit-any */
// GET /api/kpis (JSON and CSV), /api/flows/:id/experiments and /api/flows/:id/traffic over HTTP on the
// real API and PostgreSQL, with synthetic run events: values, validation, roles and flow scopes; the
// reads write nothing, and POST /api/kpis/refresh brings new events into them.
import { SyntheticRuns, turn } from '../../../libs/kpis/synthetic-events';
import { ApiHarness, flow } from '../../../test/e2e/api-harness';
import { REFRESH_LOCK } from '../../../libs/kpis/facts';

const T0 = new Date('2026-04-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const period = `from=${T0.toISOString()}&to=${at(86_400).toISOString()}`;

const splitFlow = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    [
      'split',
      'abSplit',
      {
        experiment: 'welcome',
        variants: [
          { id: 'A', weight: 50 },
          { id: 'B', weight: 50 },
        ],
      },
    ],
    ['a', 'end', { outcome: 'resolved' }],
    ['b', 'end', { outcome: 'resolved' }],
  ],
  [
    ['start', 'next', 'split'],
    ['split', 'A', 'a'],
    ['split', 'B', 'b'],
  ],
);

describe('API: KPIs, experiments and traffic', () => {
  const h = new ApiHarness();
  let flowId: string;
  let other: string;
  beforeAll(async () => {
    await h.setup({ worker: false });
    flowId = await h.publishedFlow('KPIs', splitFlow);
    other = await h.publishedFlow('Otro', splitFlow);
    const runs = new SyntheticRuns(flowId);
    // 4 runs: A converts 1 of 2, B 0 of 2; one escalation; response times 1 s and 3 s; CSAT 5.
    for (const [i, variant, converted, escalated] of [
      [0, 'A', true, false],
      [1, 'A', false, true],
      [2, 'B', false, false],
      [3, 'B', false, false],
    ] as const) {
      runs.run(`run-kpi-${flowId}-${i}`, { start: at(3600 * (i + 1)), customerId: `c${i}` }, [
        [0, 'node.entered', { type: 'start' }, 'start'],
        [0, 'node.left', { branch: 'next' }, 'start'],
        [0, 'node.entered', { type: 'abSplit' }, 'split'],
        [0, 'experiment.exposure', { experiment: 'welcome', variant }, 'split'],
        [0, 'node.left', { branch: variant }, 'split'],
        ...turn(1, i % 2 ? 3000 : 1000),
        ...(converted ? [[10, 'goal', { goal: 'purchase', value: 20, experiments: { welcome: variant } }, 'split'] as any] : []),
        ...(escalated ? [[11, 'escalation.tier', { tier: 0 }, 'human'] as any] : []),
        [12, 'csat', { score: 5 }, 'survey'],
        [20, 'run.finished', { status: 'completed', outcome: 'resolved' }],
      ]);
    }
    await runs.insert(h.pool);
    await new SyntheticRuns(other).run(`run-kpi-${other}`, { start: at(3600) }, [[5, 'run.finished', { outcome: 'abandoned' }]]).insert(h.pool);
    // The KPI reads never refresh (the worker does, every few seconds): ask for the newest figures.
    const refreshed = await h.post('/api/kpis/refresh', {}, 'editor');
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['days', 'ms', 'runs']);
  }, 90_000);
  afterAll(() => h.teardown());

  it('GET /api/kpis answers the KPIs of one flow', async () => {
    const res = await h.get(`/api/kpis?flowId=${flowId}&${period}`, 'editor');
    expect(res.status).toBe(200);
    const k = res.body.totals;
    expect(k).toMatchObject({ runs: 4, finished: 4, open: 0, outcomes: { resolved: 4 } });
    // Turns 1000, 3000, 1000, 3000 → p50 2000, p95 3000.
    expect(k.responseTime).toMatchObject({ turns: 4, p50Ms: 2000, p95Ms: 3000 });
    expect(k.escalation).toMatchObject({ escalated: 1, rate: 0.25 });
    expect(k.aiResolution).toMatchObject({ resolved: 4, rate: 1 });
    expect(k.csat).toMatchObject({ responses: 4, average: 5, topShare: 1 });
    expect(k.conversion).toMatchObject({ converted: 1, rate: 0.25, value: 20 });
    expect(res.body).toMatchObject({ flowIds: [flowId], rates: { humanMinuteCost: 0.5, baselineCostPerContact: 5, fcrWindowHours: 72 } });
  });

  it('breaks down per flow and day, per node, and takes rate overrides', async () => {
    const res = await h.get(`/api/kpis?${period}&groupBy=flow&interval=day&baselineCostPerContact=2`, 'admin');
    expect(res.status).toBe(200);
    const mine = res.body.groups.find((g: any) => g.flowId === flowId);
    expect(mine).toMatchObject({ runs: 4, period: T0.toISOString(), roi: { baselineUsd: 8 } });
    expect(res.body.groups.find((g: any) => g.flowId === other)).toMatchObject({ runs: 1, abandonment: { rate: 1 } });

    const nodes = await h.get(`/api/kpis?flowId=${flowId}&${period}&byNode=true`, 'editor');
    expect(nodes.body.nodes.find((n: any) => n.nodeId === 'split')).toMatchObject({ runs: 4, conversions: { runs: 1, value: 20 } });
    const noFlow = await h.get(`/api/kpis?byNode=true`, 'editor');
    expect(noFlow.status).toBe(400);
    expect(noFlow.body.message).toBe('byNode needs flowId');
  });

  it('exports CSV: one row per group, then the totals', async () => {
    for (const path of [`/api/kpis.csv?${period}&groupBy=flow`, `/api/kpis?${period}&groupBy=flow&format=csv`]) {
      const res = await h.get(path, 'editor');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="cauce-kpis-2026-04-01-2026-04-02.csv"');
      const [header, ...rows] = res.text.trim().split('\r\n');
      const cols = header.split(',');
      expect(cols.slice(0, 7)).toEqual(['scope', 'from', 'to', 'flow_id', 'version', 'period', 'runs']);
      expect(cols).toContain('goal_purchase_runs');
      const mine = rows.find((r) => r.includes(flowId))!.split(',');
      expect(mine[cols.indexOf('runs')]).toBe('4');
      expect(mine[cols.indexOf('escalation_rate')]).toBe('0.25');
      expect(mine[cols.indexOf('goal_purchase_runs')]).toBe('1');
      expect(rows[rows.length - 1].startsWith('total,')).toBe(true);
    }
  });

  it('answers the experiment results of a flow', async () => {
    const res = await h.get(`/api/flows/${flowId}/experiments?${period}&minSample=2`, 'editor');
    expect(res.status).toBe(200);
    const [e] = res.body.experiments;
    expect(e).toMatchObject({ experiment: 'welcome', nodeId: 'split', control: 'A', exposures: 4, conversions: 1, minSample: 2, alpha: 0.05 });
    // B 0/2 against A 1/2: pooled 1/4, SE₀ = √(0.25·0.75·1) = 0.4330, z = −0.5/0.4330 = −1.1547, p = 0.2482: not significant.
    expect(e.variants[1].vsControl.pValue).toBeCloseTo(0.248213, 5);
    expect(e.variants[1].vsControl.significant).toBe(false);
    expect(e.status).toBe('no_significant_difference');
  });

  it('answers the traffic of the graph', async () => {
    const res = await h.get(`/api/flows/${flowId}/traffic?${period}`, 'editor');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ flowId, definitionVersion: 1, runs: 4 });
    const edges = Object.fromEntries(res.body.edges.map((e: any) => [`${e.source}.${e.sourceHandle}`, e.transitions]));
    expect(edges).toMatchObject({ 'start.next': 4, 'split.A': 2, 'split.B': 2 });
  });

  it('validates the parameters and names the field', async () => {
    const cases: [string, string][] = [
      [`/api/kpis?from=yesterday`, 'from must be an ISO 8601 date-time'],
      [`/api/kpis?from=${at(86_400).toISOString()}&to=${T0.toISOString()}`, 'from must be before to'],
      [`/api/kpis?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`, 'the period may be at most 400 days'],
      [`/api/kpis?interval=hour&from=2025-01-01T00:00:00Z&to=2025-12-01T00:00:00Z`, 'interval hour over this period makes more than 2000 buckets'],
      [`/api/kpis?groupBy=node`, 'groupBy must be flow or version'],
      [`/api/kpis?flowId=nope`, 'flowId must be a UUID'],
      [`/api/kpis?humanMinuteCost=-1`, 'humanMinuteCost must be at least 0'],
      [`/api/kpis?fcrWindowHours=0`, 'fcrWindowHours must be at least 0.01'],
      [`/api/flows/${flowId}/experiments?alpha=2`, 'alpha must be at most 0.5'],
      [`/api/flows/nope/traffic`, 'id must be a UUID'],
    ];
    for (const [path, message] of cases) {
      const res = await h.get(path, 'editor');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
    }
    const missing = await h.get(`/api/flows/00000000-0000-4000-8000-00000000dead/experiments`, 'editor');
    expect(missing.status).toBe(404);
  });

  it('lets editors and admins read KPIs, not operators or systems; a key limited to flows sees only those', async () => {
    for (const role of ['operator', 'system'] as const) {
      const res = await h.get(`/api/kpis`, role);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('editor');
      expect((await h.get(`/api/flows/${flowId}/traffic`, role)).status).toBe(403);
    }
    expect((await h.get(`/api/kpis`, null)).status).toBe(401);

    const scoped = (await h.post('/api/api-keys', { name: 'solo otro', role: 'editor', flowIds: [other] })).body.key;
    const all = await h.get(`/api/kpis?${period}`, scoped);
    expect(all.status).toBe(200);
    expect(all.body.flowIds).toEqual([other]);
    expect(all.body.totals.runs).toBe(1);
    expect((await h.get(`/api/kpis?flowId=${flowId}`, scoped)).status).toBe(404);
    expect((await h.get(`/api/flows/${flowId}/experiments`, scoped)).status).toBe(404);
    expect((await h.get(`/api/flows/${other}/traffic?${period}`, scoped)).body.runs).toBe(1);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await h.get('/api/openapi.json', null)).body;
    expect(doc.paths['/api/kpis/refresh'].post.responses['200']).toBeDefined();
    expect(doc.components.schemas.KpiReportDto.properties.pendingRuns).toBeDefined();
    for (const path of [
      '/api/kpis',
      '/api/kpis.csv',
      '/api/flows/{id}/experiments',
      '/api/flows/{id}/traffic',
      '/api/alert-rules',
      '/api/alert-rules/{id}',
      '/api/alerts',
      '/api/alerts/{id}/acknowledge',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.KpiValuesDto.properties.responseTime).toBeDefined();
    expect(doc.components.schemas.VariantComparisonDto.properties.pValue.description).toContain('p-value');
  });

  it('reads without writing: GET leaves the facts as they are, and POST /api/kpis/refresh brings new events in', async () => {
    const late = `run-kpi-${flowId}-late`;
    await new SyntheticRuns(flowId)
      .run(late, { start: at(6 * 3600), customerId: 'c-late' }, [[5, 'run.finished', { status: 'completed', outcome: 'abandoned' }]])
      .insert(h.pool);
    // What the KPI tables hold about this flow's runs, as one checksum.
    const checksum = async () =>
      (
        await h.pool.query(
          `SELECT md5(coalesce((SELECT string_agg(f::text, '|' ORDER BY run_id) FROM kpi_run_facts f WHERE run_id LIKE $1), '')
                   || coalesce((SELECT string_agg(n::text, '|' ORDER BY run_id, node_id) FROM kpi_node_facts n WHERE run_id LIKE $1), '')
                   || coalesce((SELECT string_agg(d::text, '|' ORDER BY run_id) FROM kpi_dirty_runs d WHERE run_id LIKE $1), '')) AS sum`,
          [`run-kpi-${flowId}%`],
        )
      ).rows[0].sum as string;
    // Other suites share this database and refresh it: hold the refreshers' lock while reading, so only
    // these GETs could touch the facts. A GET that tried to refresh would wait for the lock: time out.
    const lock = await h.pool.connect();
    let report: any;
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [REFRESH_LOCK]);
      const before = await checksum();
      const reads = Promise.all([
        h.get(`/api/kpis?flowId=${flowId}&${period}&byNode=true`, 'editor'),
        h.get(`/api/kpis.csv?${period}&groupBy=flow`, 'editor'),
        h.get(`/api/flows/${flowId}/traffic?${period}`, 'editor'),
      ]);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('a KPI GET waited for the refresh lock: it tried to refresh')), 15_000).unref(),
      );
      const [json, csv, traffic] = await Promise.race([reads, timeout]);
      expect([json.status, csv.status, traffic.status]).toEqual([200, 200, 200]);
      report = json.body;
      expect(await checksum()).toBe(before);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [REFRESH_LOCK]).finally(() => lock.release());
    }
    // The late run is not in the figures yet, and the report says so.
    expect(report.totals.runs).toBe(4);
    expect(report.pendingRuns).toBe(1);

    for (const role of ['operator', 'system'] as const) expect((await h.post('/api/kpis/refresh', {}, role)).status).toBe(403);
    const refreshed = await h.post('/api/kpis/refresh', {}, 'editor');
    expect(refreshed.status).toBe(200);
    const after = await h.get(`/api/kpis?flowId=${flowId}&${period}`, 'editor');
    expect(after.body.totals).toMatchObject({ runs: 5, finished: 5, outcomes: { abandoned: 1 } });
    expect(after.body.pendingRuns).toBe(0);
  });
});
