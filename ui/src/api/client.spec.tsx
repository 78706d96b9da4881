import { ApiClient, ApiError, isMissing } from './client';
import { normaliseExperiments, normaliseKpis, normaliseTraffic } from './kpis';
import { busyTotals, experimentReport, kpiReport, kpiValues, threeVariantExperimentReport, trafficReport } from '../test/kpi-fixtures';
import { fakeApi, jsonResponse } from '../test/render';

describe('ApiClient', () => {
  it('sends the key as a bearer token and JSON bodies, and reads the answer', async () => {
    const api = fakeApi();
    api.on('PUT', /^\/flows\/f1$/, ({ body }) => ({ id: 'f1', ...body }));
    const saved = await api.client.saveFlow('f1', { name: 'Uno', definition: { nodes: [], edges: [] } });
    expect(saved).toMatchObject({ id: 'f1', name: 'Uno' });
    expect(api.calls[0]).toMatchObject({ method: 'PUT', path: '/flows/f1', auth: 'Bearer test-key' });
  });

  it('turns the API error shape into ApiError with the problems of a refused publish', async () => {
    const api = fakeApi();
    const problem = { code: 'flow.no_start', severity: 'error', message: 'El flujo no tiene nodo de inicio.', messages: { es: 'x', en: 'y' } };
    api.on('POST', /publish$/, () => ({
      status: 422,
      body: { statusCode: 422, error: 'Unprocessable Entity', message: 'invalid', details: { errors: [problem] } },
    }));
    const err = await api.client.publishFlow('f1', 'es').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([problem]);
    expect(api.calls[0].query.get('locale')).toBe('es');
  });

  it('tells its write listeners about each accepted write, not about reads or refused writes', async () => {
    const api = fakeApi();
    api.on('GET', '/flows/f1', () => ({ id: 'f1' }));
    api.on('POST', '/flows/f1/archive', () => ({ id: 'f1', status: 'archived' }));
    api.on('POST', '/flows/f1/publish', () => ({ status: 422, body: { statusCode: 422, error: 'Unprocessable Entity', message: 'invalid' } }));
    const writes: unknown[] = [];
    const stop = api.client.onWrite((write) => writes.push(write));
    await api.client.getFlow('f1');
    await api.client.archiveFlow('f1');
    await api.client.publishFlow('f1', 'es').catch(() => undefined);
    expect(writes).toEqual([{ method: 'POST', path: '/flows/f1/archive' }]);
    stop();
    await api.client.archiveFlow('f1');
    expect(writes).toHaveLength(1);
  });

  it('calls onUnauthorized on a 401', async () => {
    const onUnauthorized = jest.fn();
    const client = new ApiClient({
      getKey: () => 'k',
      onUnauthorized,
      fetch: (async () => jsonResponse(401, { statusCode: 401, error: 'Unauthorized', message: 'no' })) as typeof fetch,
    });
    await expect(client.getFlow('x')).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalled();
  });

  it('asks the API who a key is (GET /me) instead of probing routes', async () => {
    for (const role of ['admin', 'editor', 'operator', 'system'] as const) {
      const api = fakeApi();
      api.on('GET', '/me', () => ({ id: 'k1', name: 'una clave', role, flowIds: null, rateLimit: 50 }));
      expect(await api.client.roleOf('cauce_k')).toBe(role);
      // One call, with the key being checked rather than the session's.
      expect(api.calls).toEqual([expect.objectContaining({ method: 'GET', path: '/me', auth: 'Bearer cauce_k' })]);
    }
    const api = fakeApi();
    api.on('GET', '/me', () => ({ id: 'k2', name: 'limitada', role: 'operator', flowIds: ['f1'], rateLimit: 5 }));
    expect(await api.client.me()).toEqual({ id: 'k2', name: 'limitada', role: 'operator', flowIds: ['f1'], rateLimit: 5 });
    expect(api.calls[0].auth).toBe('Bearer test-key');
  });

  it('rejects an unknown key', async () => {
    const api = fakeApi();
    api.on('GET', '/me', () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Unknown or revoked API key' } }));
    await expect(api.client.roleOf('bad')).rejects.toMatchObject({ status: 401 });
    expect(api.calls).toHaveLength(1);
  });

  it('treats a missing KPI route as missing, not as a failure', async () => {
    const api = fakeApi();
    const err = await api.client.kpis({ flowId: 'f1' }).catch((e) => e);
    expect(isMissing(err)).toBe(true);
  });
});

describe('reading the KPI API', () => {
  it('maps the report’s totals and daily groups to the dashboard’s KPIs', () => {
    const report = normaliseKpis(
      kpiReport(busyTotals, [
        {
          ...kpiValues({ runs: 10, escalation: { escalated: 1, humanHandled: 1, rate: 0.1 } }),
          flowId: null,
          version: null,
          period: '2026-11-01T00:00:00.000Z',
        },
      ]),
    );
    expect(report?.runs).toBe(240);
    expect(report?.values).toMatchObject({
      responseTimeP50Ms: 850,
      responseTimeP95Ms: 2100,
      escalationRate: 0.125,
      aiResolutionRate: 0.6,
      csat: 4.2,
      conversionRate: 0.08,
      timeToResolutionP50Ms: 300_000,
      roi: null,
    });
    expect(report?.counts.csatResponses).toBe(80);
    expect(report?.outcomes).toEqual({ resolved: 150, escalated: 30, abandoned: 50 });
    expect(report?.series).toEqual([{ at: '2026-11-01T00:00:00.000Z', runs: 10, values: expect.objectContaining({ escalationRate: 0.1 }) }]);
  });

  it('says "no data" for a period without runs instead of showing zeros', () => {
    expect(normaliseKpis(kpiReport(kpiValues()))).toBeNull();
    expect(normaliseTraffic({ ...trafficReport('f'), runs: 0 })).toBeNull();
    expect(normaliseExperiments({ ...experimentReport('f'), experiments: [{ ...experimentReport('f').experiments[0], exposures: 0 }] })).toEqual([]);
  });

  it('reads experiments: lift, confidence interval and p-value against the control', () => {
    const [e] = normaliseExperiments(experimentReport('f'));
    expect(e).toMatchObject({ experiment: 'copy', control: 'A', status: 'no_significant_difference', goal: 'purchase' });
    expect(e.variants[1]).toEqual({
      id: 'B',
      isControl: false,
      exposures: 120,
      conversions: 12,
      rate: 0.1,
      lift: 0.5,
      pValue: 0.35,
      pValueAdjusted: 0.35,
      interval: [-0.035, 0.102],
      probabilityBest: 0.82,
      significant: false,
    });
    expect(e.variants[0].lift).toBeNull();
    // Without the correction fields (two variants): one comparison at 95%.
    expect(e).toMatchObject({ correction: 'none', comparisons: 1, ciLevel: 0.95 });
  });

  it('reads the Holm correction of experiments with more than two variants', () => {
    const [e] = normaliseExperiments(threeVariantExperimentReport('f'));
    expect(e).toMatchObject({ correction: 'holm', comparisons: 2, ciLevel: 0.975 });
    expect(e.variants.map((v) => [v.id, v.pValue, v.pValueAdjusted, v.significant])).toEqual([
      ['A', null, null, false],
      ['B', 0.0355, 0.071, false],
      ['C', 1, 1, false],
    ]);
  });

  it('reads traffic per edge and drop-off per node', () => {
    expect(normaliseTraffic(trafficReport('f'))).toEqual({
      runs: 240,
      edges: [{ id: 'e2', source: 'split', sourceHandle: 'A', target: 'end', count: 120, share: 0.5 }],
      nodes: [{ nodeId: 'split', entered: 240, dropOff: 0, dropOffRate: 0 }],
    });
  });
});
