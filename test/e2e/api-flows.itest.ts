/* eslint-disable @typescript-eslint/no-explicit-any */
// The flows API end to end, over HTTP: drafts, validation, publishing, versions, diff, duplicate,
// archive, schedules, API keys, audit, rate limits, malformed bodies, OpenAPI and metrics.
import { ScheduleNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { ApiHarness, flow } from './api-harness';

const greeting = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola {{ input.name }}' }],
    ['end', 'end', { outcome: 'resolved' }],
  ],
  [
    ['start', 'next', 'hi'],
    ['hi', 'next', 'end'],
  ],
);

/** A message node with no outgoing edge and an end that nothing reaches. */
const broken = flow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['hi', 'message', { text: 'Hola {{ cliente.nombre }}' }],
  ],
  [['start', 'next', 'hi']],
);

describe('API: flows, versions, keys and requests (real PostgreSQL and Temporal)', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: false }), 60_000);
  afterAll(() => h.teardown());

  describe('drafts', () => {
    it('creates a flow with a default draft, reads it, lists it by cursor and replaces the draft', async () => {
      const created = await h.post('/api/flows', { name: 'Vacía', description: 'nada aún' }, 'editor');
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Vacía', description: 'nada aún', status: 'draft', latestVersion: null, trigger: 'api', draftChanged: true });
      expect(created.body.draft.nodes).toEqual([expect.objectContaining({ id: 'start', type: 'start' })]);
      const id = created.body.id;

      expect((await h.get(`/api/flows/${id}`, 'editor')).body).toMatchObject({ id, name: 'Vacía' });

      // React Flow's own node properties survive a save.
      const drawn = { ...greeting, nodes: greeting.nodes.map((n) => ({ ...n, selected: false, measured: { width: 10, height: 5 } })) };
      const updated = await h.put(`/api/flows/${id}`, { name: 'Saludo', definition: drawn }, 'editor');
      expect(updated.status).toBe(200);
      expect(updated.body.name).toBe('Saludo');
      expect(updated.body.description).toBe('nada aún');
      expect(updated.body.draft.nodes[0]).toMatchObject({ selected: false, measured: { width: 10, height: 5 } });

      for (let i = 0; i < 3; i++) await h.post('/api/flows', { name: `paginada ${i}` }, 'editor');
      const first = await h.get('/api/flows?limit=2&q=paginada', 'editor');
      expect(first.status).toBe(200);
      expect(first.body.items.map((f: any) => f.name)).toEqual(['paginada 2', 'paginada 1']);
      expect(first.body.items[0].draft).toBeUndefined();
      const second = await h.get(`/api/flows?limit=2&q=paginada&cursor=${first.body.nextCursor}`, 'editor');
      expect(second.body.items.map((f: any) => f.name)).toEqual(['paginada 0']);
      expect(second.body.nextCursor).toBeNull();
      expect((await h.get('/api/flows?cursor=nonsense', 'editor')).status).toBe(400);
    });

    it('answers 404 for an unknown flow and 400 for a malformed id', async () => {
      const missing = await h.get(`/api/flows/${randomUUID()}`, 'editor');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('not found') });
      const bad = await h.get('/api/flows/not-a-uuid', 'editor');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe('id must be a UUID');
    });
  });

  describe('validation and publishing', () => {
    let id: string;
    beforeAll(async () => {
      id = (await h.post('/api/flows', { name: 'Rota', definition: broken }, 'editor')).body.id;
    });

    it('validates the draft with every error, in Spanish by default and English on request', async () => {
      const es = await h.post(`/api/flows/${id}/validate`, undefined, 'editor');
      expect(es.status).toBe(200);
      expect(es.body.valid).toBe(false);
      const codes = es.body.errors.map((e: any) => e.code);
      expect(codes.length).toBeGreaterThanOrEqual(2);
      expect(es.body.errors.every((e: any) => e.message === e.messages.es)).toBe(true);
      expect(es.body.errors.some((e: any) => e.nodeId === 'hi')).toBe(true);

      const en = await h.post(`/api/flows/${id}/validate`, undefined, 'editor', { 'accept-language': 'en-GB,en;q=0.9' });
      expect(en.body.errors.map((e: any) => e.code)).toEqual(codes);
      expect(en.body.errors.every((e: any) => e.message === e.messages.en)).toBe(true);
      const query = await h.post(`/api/flows/${id}/validate?locale=en`, undefined, 'editor', { 'accept-language': 'es' });
      expect(query.body.errors[0].message).toBe(en.body.errors[0].message);
      expect((await h.post(`/api/flows/${id}/validate?locale=fr`, undefined, 'editor')).status).toBe(400);

      // The editor's unsaved canvas can be checked without saving it.
      const unsaved = await h.post(`/api/flows/${id}/validate`, { definition: greeting }, 'editor');
      expect(unsaved.body).toMatchObject({ valid: true, errors: [] });
    });

    it('refuses to publish an invalid draft with 422 and every problem', async () => {
      const res = await h.post(`/api/flows/${id}/publish?locale=en`, undefined, 'editor');
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', message: expect.stringMatching(/^The flow has \d+ errors/) });
      expect(res.body.details.errors.length).toBeGreaterThanOrEqual(2);
      expect(res.body.details.errors[0]).toEqual(expect.objectContaining({ code: expect.any(String), severity: 'error', messages: expect.any(Object) }));
      expect((await h.get(`/api/flows/${id}/versions`, 'editor')).body.items).toEqual([]);
      const es = await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      expect(es.body.message).toMatch(/^El flujo tiene \d+ errores/);
    });

    it('publishes immutable numbered versions, with history, a version read and a diff', async () => {
      expect((await h.put(`/api/flows/${id}`, { name: 'Arreglada', definition: greeting }, 'editor')).status).toBe(200);
      const v1 = await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      expect(v1.status).toBe(201);
      expect(v1.body).toMatchObject({ flowId: id, version: 1, schedule: null, warnings: [] });
      const after = await h.get(`/api/flows/${id}`, 'editor');
      expect(after.body).toMatchObject({ status: 'published', latestVersion: 1, draftChanged: false });

      const v2def = structuredClone(greeting);
      v2def.nodes[1].data = { text: 'Buenas, {{ input.name }}' };
      v2def.nodes.push({ id: 'extra', type: 'message', data: { text: 'Una cosa más' }, position: { x: 0, y: 0 } });
      v2def.edges = [
        { id: 'start.next->hi', source: 'start', sourceHandle: 'next', target: 'hi' },
        { id: 'hi.next->extra', source: 'hi', sourceHandle: 'next', target: 'extra' },
        { id: 'extra.next->end', source: 'extra', sourceHandle: 'next', target: 'end' },
      ];
      await h.put(`/api/flows/${id}`, { name: 'Arreglada', definition: v2def }, 'editor');
      expect((await h.get(`/api/flows/${id}`, 'editor')).body.draftChanged).toBe(true);
      expect((await h.post(`/api/flows/${id}/publish`, undefined, 'editor')).body.version).toBe(2);

      const history = await h.get(`/api/flows/${id}/versions`, 'editor');
      expect(history.body.items.map((v: any) => [v.version, v.nodeCount, v.publishedBy])).toEqual([
        [2, 4, expect.any(String)],
        [1, 3, expect.any(String)],
      ]);
      const one = await h.get(`/api/flows/${id}/versions/1`, 'editor');
      expect(one.body).toMatchObject({ flowId: id, version: 1 });
      expect(one.body.definition.nodes[1].data.text).toBe('Hola {{ input.name }}');
      expect((await h.get(`/api/flows/${id}/versions/9`, 'editor')).status).toBe(404);
      expect((await h.get(`/api/flows/${id}/versions/x`, 'editor')).status).toBe(400);

      const diff = await h.get(`/api/flows/${id}/versions/1/diff/2`, 'editor');
      expect(diff.status).toBe(200);
      expect(diff.body).toMatchObject({
        from: 1,
        to: 2,
        identical: false,
        nodes: { added: ['extra'], removed: [], changed: [{ id: 'hi', fields: ['data.text'] }] },
        edges: { added: ['extra.next->end', 'hi.next->extra'], removed: ['hi.next->end'], changed: [] },
      });
      const toDraft = await h.get(`/api/flows/${id}/versions/2/diff/draft`, 'editor');
      expect(toDraft.body).toMatchObject({ to: 'draft', identical: true });
      expect((await h.get(`/api/flows/${id}/versions/1/diff/latest`, 'editor')).status).toBe(400);
    });

    it('duplicates a flow into a new draft and archives one (no edits, no publish, no runs after)', async () => {
      const copy = await h.post(`/api/flows/${id}/duplicate`, {}, 'editor');
      expect(copy.status).toBe(201);
      expect(copy.body).toMatchObject({ name: 'Arreglada (copia)', status: 'draft', latestVersion: null });
      expect(copy.body.id).not.toBe(id);
      expect(copy.body.draft).toEqual((await h.get(`/api/flows/${id}`, 'editor')).body.draft);

      const archived = await h.post(`/api/flows/${id}/archive`, undefined, 'editor');
      expect(archived.status).toBe(200);
      expect(archived.body.status).toBe('archived');
      expect((await h.put(`/api/flows/${id}`, { name: 'x', definition: greeting }, 'editor')).status).toBe(409);
      expect((await h.post(`/api/flows/${id}/publish`, undefined, 'editor')).status).toBe(409);
      const start = await h.post(`/api/flows/${id}/runs`, {}, 'system');
      expect(start.status).toBe(409);
      expect(start.body.message).toContain('archived');
      expect((await h.get(`/api/flows?status=archived`, 'editor')).body.items.map((f: any) => f.id)).toContain(id);
    });

    it('refuses to start a run of a flow never published', async () => {
      const draft = await h.post('/api/flows', { name: 'Sin publicar', definition: greeting }, 'editor');
      const res = await h.post(`/api/flows/${draft.body.id}/runs`, {}, 'system');
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('no published version');
    });
  });

  describe('schedule triggers become Temporal Schedules', () => {
    it('creates the schedule at publish, updates it with the next version and deletes it on archive', async () => {
      const scheduled = (cron: string) =>
        flow(
          [
            ['start', 'start', { trigger: 'schedule', cron }],
            ['end', 'end', { outcome: 'done' }],
          ],
          [['start', 'next', 'end']],
        );
      const created = await h.post('/api/flows', { name: 'Semanal', definition: scheduled('0 9 * * 1') }, 'editor');
      const id = created.body.id;
      const v1 = await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      expect(v1.body.schedule).toEqual({ scheduleId: `cauce-flow-${id}`, cron: '0 9 * * 1', version: 1 });
      const handle = h.temporal.schedule.getHandle(`cauce-flow-${id}`);
      let d = await handle.describe();
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'flowRunV2', taskQueue: h.taskQueue });
      expect((d.action as any).args[0]).toMatchObject({ flowId: id, version: 1 });
      expect(d.info.nextActionTimes[0].getUTCDay()).toBe(1);

      await h.put(`/api/flows/${id}`, { name: 'Semanal', definition: scheduled('30 8 * * *') }, 'editor');
      const v2 = await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      expect(v2.body.schedule).toMatchObject({ cron: '30 8 * * *', version: 2 });
      d = await handle.describe();
      expect((d.action as any).args[0]).toMatchObject({ version: 2 });
      expect(d.info.nextActionTimes[0].getUTCHours()).toBe(8);

      // A version without the schedule trigger drops the schedule.
      await h.put(`/api/flows/${id}`, { name: 'Semanal', definition: greeting }, 'editor');
      expect((await h.post(`/api/flows/${id}/publish`, undefined, 'editor')).body.schedule).toBeNull();
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);

      await h.put(`/api/flows/${id}`, { name: 'Semanal', definition: scheduled('0 7 * * *') }, 'editor');
      await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      expect((await handle.describe()).info.nextActionTimes.length).toBeGreaterThan(0);
      await h.post(`/api/flows/${id}/archive`, undefined, 'editor');
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    });
  });

  describe('the palette', () => {
    it('lists every node type with its JSON Schema and branches, in the requested language', async () => {
      const es = await h.get('/api/activities', 'editor');
      expect(es.status).toBe(200);
      expect(es.body.locale).toBe('es');
      const ask = es.body.items.find((i: any) => i.type === 'ask');
      expect(ask).toMatchObject({ waits: true, dataSchema: expect.objectContaining({ type: 'object' }) });
      expect(es.body.items.find((i: any) => i.type === 'start').title).toBe('Inicio');
      const en = await h.get('/api/activities?locale=en', 'editor');
      expect(en.body.items.find((i: any) => i.type === 'start').title).toBe('Start');
      expect(es.body.items.map((i: any) => i.type)).toEqual(expect.arrayContaining(['escalate', 'ai.classify', 'waitForEvent', 'subflow']));
    });

    it('includes the custom activities of activities/custom, with their input schema', async () => {
      const res = await h.get('/api/activities?locale=en', 'editor');
      const loyalty = res.body.items.find((i: any) => i.type === 'activity:loyaltyPoints');
      expect(loyalty).toMatchObject({ title: 'Loyalty points', category: 'crm', branches: ['ok', 'error'] });
      expect(loyalty.dataSchema.properties.input).toMatchObject({ type: 'object', required: ['customerId'] });
    });
  });

  describe('authentication, keys and audit', () => {
    it('needs a key everywhere but health and the API docs', async () => {
      expect((await h.get('/api/health', null)).status).not.toBe(401);
      expect((await h.get('/api/openapi.json', null)).status).toBe(200);
      expect((await h.get('/api/docs', null)).status).toBe(200);
      const none = await h.get('/api/flows', null);
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing API key: send it as "Authorization: Bearer <key>"' });
      const wrong = await h.get('/api/flows', `cauce_${'x'.repeat(43)}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('Unknown or revoked API key');
      const viaHeader = await h.request('GET', '/api/flows', { key: null, headers: { 'x-api-key': h.keys.editor } });
      expect(viaHeader.status).toBe(200);
    });

    it('lets the admin create, list and revoke keys (stored hashed), and audits it', async () => {
      const created = await h.post('/api/api-keys', { name: 'tienda', role: 'system' });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^cauce_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ name: 'tienda', role: 'system', flowIds: null, revokedAt: null, prefix: created.body.key.slice(0, 12) });
      const { rows } = await h.pool.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
      expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].key_hash).not.toContain(created.body.key);

      const key = created.body.key;
      expect((await h.get('/api/runs', key)).status).toBe(200);
      const list = await h.get('/api/api-keys');
      expect(list.body.items.find((k: any) => k.id === created.body.id)).toMatchObject({ name: 'tienda' });
      expect(JSON.stringify(list.body)).not.toContain(key);

      const revoked = await h.del(`/api/api-keys/${created.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect((await h.get('/api/runs', key)).status).toBe(401);
      expect((await h.del(`/api/api-keys/${randomUUID()}`)).status).toBe(404);

      const audit = await h.get(`/api/audit?targetId=${created.body.id}`);
      expect(audit.body.items.map((e: any) => e.action)).toEqual(['api_key.revoked', 'api_key.created']);
      expect(audit.body.items[1]).toMatchObject({ actorId: 'admin', actorRole: 'admin', details: { name: 'tienda', role: 'system' } });
    });

    it('audits flow edits and publishes, newest first, by cursor', async () => {
      const id = (await h.post('/api/flows', { name: 'Auditada', definition: greeting }, 'editor')).body.id;
      await h.put(`/api/flows/${id}`, { name: 'Auditada 2', definition: broken }, 'editor');
      await h.put(`/api/flows/${id}`, { name: 'Auditada 2', definition: greeting }, 'editor');
      await h.post(`/api/flows/${id}/publish`, undefined, 'editor');
      const page = await h.get(`/api/audit?targetId=${id}&limit=3`);
      expect(page.body.items.map((e: any) => e.action)).toEqual(['flow.published', 'flow.updated', 'flow.updated']);
      expect(page.body.items[0]).toMatchObject({ actorName: 'test editor', actorRole: 'editor', details: { version: 1 } });
      expect(page.body.items[2].details).toMatchObject({ name: 'Auditada 2', nodes: { removed: ['end'] } });
      const rest = await h.get(`/api/audit?targetId=${id}&limit=3&cursor=${page.body.nextCursor}`);
      expect(rest.body.items.map((e: any) => e.action)).toEqual(['flow.created']);
      expect(rest.body.nextCursor).toBeNull();
      expect((await h.get(`/api/audit?action=flow.published&limit=1`)).body.items[0].action).toBe('flow.published');
    });

    it('rate-limits each key with a token bucket: 429 with Retry-After', async () => {
      const slow = await h.post('/api/api-keys', { name: 'lenta', role: 'operator', rateLimit: 1 });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 4; i++) {
        const res = await h.get('/api/runs?pageSize=1', slow.body.key);
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('1 requests per second') });
        }
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.slice(2)).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another key is not affected.
      expect((await h.get('/api/runs?pageSize=1', 'operator')).status).toBe(200);
    });

    it('validates key requests field by field', async () => {
      const res = await h.post('/api/api-keys', { name: '', role: 'root', flowIds: ['nope'], rateLimit: 0 });
      expect(res.status).toBe(400);
      for (const f of [
        'name must not be empty',
        'role must be one of admin, editor, operator, system',
        'flowIds must contain flow ids',
        'rateLimit must be at least 1',
      ]) {
        expect(res.body.message).toContain(f);
      }
      expect(Array.isArray(res.body.details)).toBe(true);
      const unknownFlow = await h.post('/api/api-keys', { name: 'x', role: 'system', flowIds: [randomUUID()] });
      expect(unknownFlow.status).toBe(400);
      expect(unknownFlow.body.message).toContain('flowIds: no flow');
    });
  });

  describe('roles', () => {
    it('refuses every role where it does not belong, naming the role required', async () => {
      const flowId = (await h.post('/api/flows', { name: 'Roles', definition: greeting }, 'editor')).body.id;
      const runId = `run-${randomUUID()}`;
      const keyId = randomUUID();
      // [method, path, body, roles allowed besides admin]
      const routes: [string, string, unknown, string[]][] = [
        ['POST', '/api/flows', { name: 'x' }, ['editor']],
        ['GET', '/api/flows', undefined, ['editor']],
        ['GET', `/api/flows/${flowId}`, undefined, ['editor']],
        ['PUT', `/api/flows/${flowId}`, { name: 'Roles', definition: greeting }, ['editor']],
        ['POST', `/api/flows/${flowId}/validate`, {}, ['editor']],
        ['POST', `/api/flows/${flowId}/publish`, undefined, ['editor']],
        ['GET', `/api/flows/${flowId}/versions`, undefined, ['editor']],
        ['GET', `/api/flows/${flowId}/versions/1`, undefined, ['editor', 'operator']],
        ['GET', `/api/flows/${flowId}/versions/1/diff/draft`, undefined, ['editor']],
        ['POST', `/api/flows/${flowId}/duplicate`, {}, ['editor']],
        ['POST', `/api/flows/${flowId}/test-runs`, {}, ['editor']],
        ['GET', '/api/activities', undefined, ['editor']],
        ['POST', `/api/flows/${flowId}/runs`, {}, ['system']],
        ['POST', '/api/events', { type: 'nobody_listens', customerId: 'c-roles' }, ['system']],
        ['GET', '/api/runs', undefined, ['editor', 'operator', 'system']],
        ['GET', `/api/runs/${runId}`, undefined, ['editor', 'operator', 'system']],
        ['GET', `/api/runs/${runId}/events`, undefined, ['editor', 'operator', 'system']],
        ['POST', `/api/runs/${runId}/cancel`, undefined, ['operator', 'editor']],
        ['POST', '/api/api-keys', { name: 'x', role: 'system' }, []],
        ['GET', '/api/api-keys', undefined, []],
        ['DELETE', `/api/api-keys/${keyId}`, undefined, []],
        ['GET', '/api/audit', undefined, []],
        ['GET', '/api/metrics', undefined, ['system']],
      ];
      for (const [method, path, body, allowed] of routes) {
        for (const role of ['editor', 'operator', 'system'] as const) {
          const res = await h.request(method, path, { key: role, body });
          if (allowed.includes(role)) {
            expect([method, path, role, res.status === 403 ? res.body.message : 'ok']).toEqual([method, path, role, 'ok']);
          } else {
            expect([method, path, role, res.status]).toEqual([method, path, role, 403]);
            expect(res.body.error).toBe('Forbidden');
            expect(res.body.message).toContain(allowed.length ? `requires one of the roles ${[...allowed, 'admin'].join(', ')}` : 'requires the admin role');
            expect(res.body.message).toContain(`this key has the role ${role}`);
          }
        }
      }
    });
  });

  describe('malformed and oversized requests', () => {
    it('refuses malformed JSON, wrong field types, unknown fields and oversized bodies with the right status', async () => {
      const malformed = await h.request('POST', '/api/flows', { key: 'editor', raw: '{"name": "x",' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('Malformed request body') });

      const types = await h.post('/api/flows', { name: 42, description: ['x'], definition: { nodes: 'none' } }, 'editor');
      expect(types.status).toBe(400);
      expect(types.body.message).toContain('name must be a string');
      expect(types.body.message).toContain('description must be a string');
      expect(types.body.message).toContain('definition.nodes must be an array');

      const unknown = await h.post('/api/flows', { name: 'x', owner: 'me' }, 'editor');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('property owner should not exist');

      const missing = await h.put(`/api/flows/${randomUUID()}`, { name: 'x' }, 'editor');
      expect(missing.status).toBe(400);
      expect(missing.body.message).toContain('definition must be an object with nodes and edges');

      const big = JSON.stringify({ name: 'grande', description: 'x'.repeat(1_100_000) });
      const oversized = await h.request('POST', '/api/flows', { key: 'editor', raw: big });
      expect(oversized.status).toBe(413);
      expect(oversized.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      expect(oversized.text).not.toMatch(/at .*\.js:\d+/);

      const badRun = await h.get('/api/runs/not-a-run', 'system');
      expect(badRun.status).toBe(400);
      expect(badRun.body.message).toBe('runId must be a run id such as run-<uuid>');
      const badQuery = await h.get('/api/runs?pageSize=1000&status=sleeping', 'system');
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.message).toContain('pageSize must be at most 100');
      expect(badQuery.body.message).toContain('status must be one of');
    });
  });

  describe('OpenAPI and metrics', () => {
    it('documents every route with described request and response schemas', async () => {
      const doc: any = (await h.get('/api/openapi.json', null)).body;
      const paths = Object.keys(doc.paths);
      for (const p of [
        '/api/flows',
        '/api/flows/{id}',
        '/api/flows/{id}/validate',
        '/api/flows/{id}/publish',
        '/api/flows/{id}/versions',
        '/api/flows/{id}/versions/{version}',
        '/api/flows/{id}/versions/{a}/diff/{b}',
        '/api/flows/{id}/duplicate',
        '/api/flows/{id}/archive',
        '/api/flows/{id}/runs',
        '/api/flows/{id}/test-runs',
        '/api/runs',
        '/api/runs/{runId}',
        '/api/runs/{runId}/messages',
        '/api/runs/{runId}/events',
        '/api/runs/{runId}/cancel',
        '/api/events',
        '/api/activities',
        '/api/api-keys',
        '/api/api-keys/{id}',
        '/api/audit',
        '/api/metrics',
        '/api/health',
      ]) {
        expect(paths).toContain(p);
      }
      // Every DTO property carries a description.
      const undocumented: string[] = [];
      for (const [name, schema] of Object.entries<any>(doc.components.schemas)) {
        for (const [prop, def] of Object.entries<any>(schema.properties ?? {})) {
          if (!def.description && !def.$ref && !def.allOf) undocumented.push(`${name}.${prop}`);
        }
      }
      expect(undocumented).toEqual([]);
      const message = doc.paths['/api/runs/{runId}/messages'].post;
      expect(message.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/PostMessageDto');
      expect(message.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/MessageResultDto');
      expect(message.responses['409']).toBeDefined();
      expect(message.security).toEqual([{ bearer: [] }]);
      // Every reference resolves, and every operation declares its responses.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.filter((r) => !doc.components.schemas[r])).toEqual([]);
      for (const [p, ops] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(ops)) {
          const ok = Object.keys(op.responses ?? {}).filter((code) => /^2/.test(code));
          expect([p, method, ok.length > 0]).toEqual([p, method, true]);
          if (p !== '/api/health') expect([p, method, op.security]).toEqual([p, method, [{ bearer: [] }]]);
        }
      }
      // Operation ids are unique, so generated clients get one method per route.
      const ids = Object.values<any>(doc.paths).flatMap((p) => Object.values<any>(p).map((op) => op.operationId));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('serves Prometheus metrics: HTTP latency by route pattern', async () => {
      const res = await h.get('/api/metrics', 'system');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0.0.4/);
      expect(res.text).toContain('# TYPE cauce_http_request_duration_seconds histogram');
      expect(res.text).toMatch(/cauce_http_request_duration_seconds_count\{method="GET",route="\/api\/flows\/:id",status="200"\} \d+/);
      // prom-client writes `le` first; label order means nothing to Prometheus.
      expect(res.text).toMatch(/cauce_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/api\/flows",status="400"\} \d+/);
      expect(res.text).toContain('# TYPE cauce_runs_started_total counter');
      expect(res.text).toContain('# TYPE cauce_chat_turn_duration_seconds histogram');
      expect(res.text).toMatch(/cauce_rate_limited_total [1-9]/);
      expect(res.text).not.toMatch(/route="\/api\/flows\/[0-9a-f]{8}-/);
    });
  });
});
