/* eslint-disable @typescript-eslint/no-explicit-any */
// GET /api/me over HTTP on the real API and PostgreSQL: every role learns who it is (the editor
// signs in with it), a key limited to flows sees them, and unknown or revoked keys get 401.
import { ApiHarness, flow } from '../../../test/e2e/api-harness';

describe('API: GET /api/me', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: false }), 90_000);
  afterAll(() => h.teardown());

  it('answers every role with the key’s id, name, role, flows and rate limit', async () => {
    const admin = await h.get('/api/me', 'admin');
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ id: 'admin', name: 'CAUCE_ADMIN_KEY', role: 'admin', flowIds: null, rateLimit: 1000 });

    const keys = (await h.get('/api/api-keys', 'admin')).body.items as any[];
    for (const role of ['editor', 'operator', 'system'] as const) {
      const res = await h.get('/api/me', role);
      expect(res.status).toBe(200);
      const key = keys.find((k) => k.name === `test ${role}`);
      expect(res.body).toEqual({ id: key.id, name: `test ${role}`, role, flowIds: null, rateLimit: 1000 });
      // The usual rate-limit headers: /me is an ordinary authenticated route.
      expect(res.headers.get('ratelimit-limit')).toBe('1000');
    }
  });

  it('lists the flows a limited key may reach', async () => {
    const flowId = await h.publishedFlow(
      'Solo esta',
      flow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['end', 'end', { outcome: 'resolved' }],
        ],
        [['start', 'next', 'end']],
      ),
    );
    const created = await h.post('/api/api-keys', { name: 'limited operator', role: 'operator', flowIds: [flowId], rateLimit: 7 }, 'admin');
    expect(created.status).toBe(201);
    const me = await h.get('/api/me', created.body.key);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: created.body.id, name: 'limited operator', role: 'operator', flowIds: [flowId], rateLimit: 7 });

    expect((await h.request('DELETE', `/api/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await h.get('/api/me', created.body.key)).status).toBe(401);
  });

  it('refuses a missing or unknown key, and is described in the OpenAPI document', async () => {
    expect((await h.get('/api/me', null)).status).toBe(401);
    expect((await h.get('/api/me', 'cauce_not-a-key')).status).toBe(401);
    const doc = await h.get('/api/openapi.json', null);
    expect(doc.status).toBe(200);
    const op = doc.body.paths['/api/me']?.get;
    expect(op?.responses?.['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/MeDto' });
    expect(Object.keys(doc.body.components.schemas.MeDto.properties).sort()).toEqual(['flowIds', 'id', 'name', 'rateLimit', 'role']);
    expect(doc.body.components.schemas.MeDto.properties.role.description).toContain('role');
  });
});
