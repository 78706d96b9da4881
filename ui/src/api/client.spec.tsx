import { ApiClient, ApiError, isMissing } from './client';
import { normaliseExperiments, normaliseKpis, normaliseTraffic } from './kpis';
import { busyTotals, experimentReport, kpiReport, kpiValues, trafficReport } from '../test/kpi-fixtures';
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
    api.on('POST', /publish$/, () => ({ status: 422, body: { statusCode: 422, error: 'Unprocessable Entity', message: 'invalid', details: { errors: [problem] } } }));
    const err = await api.client.publishFlow('f1', 'es').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([problem]);
    expect(api.calls[0].query.get('locale')).toBe('es');
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

  it('finds the role of a key by probing routes without side effects', async () => {
    const roleFor = async (role: string) => {
      const api = fakeApi();
      const allowed = (r: string[]) => (r.includes(role) || role === 'admin' ? { status: 200, body: {} } : { status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'no' } });
      api.on('GET', '/api-keys', () => allowed([]));
      api.on('GET', '/flows', () => allowed(['editor']));
      api.on('POST', /\/cancel$/, () => (role === 'system' ? allowed([]) : { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'no run' } }));
      const found = await api.client.roleOf('k');
      expect(api.calls.every((c) => c.method === 'GET' || c.path.endsWith('/cancel'))).toBe(true);
      return found;
    };
    expect(await roleFor('admin')).toBe('admin');
    expect(await roleFor('editor')).toBe('editor');
    expect(await roleFor('operator')).toBe('operator');
    expect(await roleFor('system')).toBe('system');
  });

  it('rejects an unknown key', async () => {
    const api = fakeApi();
    api.on('GET', '/api-keys', () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Unknown or revoked API key' } }));
    await expect(api.client.roleOf('bad')).rejects.toMatchObject({ status: 401 });
  });

  it('treats a missing KPI route as missing, not as a failure', async () => {
    const api = fakeApi();
    const err = await api.client.kpis({ flowId: 'f1' }).catch((e) => e);
    expect(isMissing(err)).toBe(true);
  });
});

describe('reading the KPI API', () => {
  it('maps the report’s totals and daily groups to the dashboard’s KPIs', () => {
    const report = normaliseKpis(kpiReport(busyTotals, [{ ...kpiValues({ runs: 10, escalation: { escalated: 1, humanHandled: 1, rate: 0.1 } }), flowId: null, version: null, period: '2026-11-01T00:00:00.000Z' }]));
    expect(report?.runs).toBe(240);
    expect(report?.values).toMatchObject({ responseTimeP50Ms: 850, responseTimeP95Ms: 2100, escalationRate: 0.125, aiResolutionRate: 0.6, csat: 4.2, conversionRate: 0.08, timeToResolutionP50Ms: 300_000, roi: null });
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
    expect(e.variants[1]).toEqual({ id: 'B', isControl: false, exposures: 120, conversions: 12, rate: 0.1, lift: 0.5, pValue: 0.35, interval: [-0.035, 0.102], probabilityBest: 0.82, significant: false });
    expect(e.variants[0].lift).toBeNull();
  });

  it('reads traffic per edge and drop-off per node', () => {
    expect(normaliseTraffic(trafficReport('f'))).toEqual({
      runs: 240,
      edges: [{ id: 'e2', source: 'split', sourceHandle: 'A', target: 'end', count: 120, share: 0.5 }],
      nodes: [{ nodeId: 'split', entered: 240, dropOff: 0, dropOffRate: 0 }],
    });
  });
});
