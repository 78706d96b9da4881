/* eslint-disable @typescript-eslint/no-explicit-any */
// Stored secrets over HTTP against the real API and PostgreSQL: set, replace, list, delete, admin
// only, and the value never leaves: not in any response, not in the audit log, not in clear in the
// `secrets` table, not in anything the process prints. Without SECRETS_KEY setting answers 503.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPgSecretStore } from '../../activities/secrets/secret-store';
import { ApiHarness, ApiResponse, flow } from './api-harness';

const SECRETS_KEY = randomBytes(32).toString('hex');

describe('API: secrets (real API and PostgreSQL, SECRETS_KEY configured)', () => {
  const h = new ApiHarness();
  const printed: string[] = [];
  const restore: (() => void)[] = [];
  beforeAll(() => {
    process.env.SECRETS_KEY = SECRETS_KEY;
    // Everything the process writes while these tests run, to check no value is ever logged.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: any, ...rest: any[]) => {
        printed.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    return h.setup({ worker: false });
  }, 90_000);
  afterAll(async () => {
    restore.forEach((r) => r());
    delete process.env.SECRETS_KEY;
    await h.teardown();
  });

  it('sets, replaces, lists and deletes secrets; the value appears in no response, audit entry, table column or log', async () => {
    const name = `HELPDESK_TOKEN_${randomBytes(4).toString('hex')}`;
    const value = `sk-live-${randomBytes(24).toString('hex')}`;
    const value2 = `sk-live-${randomBytes(24).toString('hex')}`;
    const responses: ApiResponse[] = [];
    const call = async (p: Promise<ApiResponse>) => {
      const res = await p;
      responses.push(res);
      return res;
    };

    const created = await call(h.put(`/api/secrets/${name}`, { value, allowedHosts: ['api.helpdesk.example'] }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name,
      allowedHosts: ['api.helpdesk.example'],
      flowIds: null,
      roles: null,
      created: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      updatedBy: 'CAUCE_ADMIN_KEY',
    });

    // The worker side reads what the API stored, with the same key.
    const store = createPgSecretStore(h.pool, SECRETS_KEY);
    expect(await store.get(name)).toBe(value);

    const replaced = await call(h.put(`/api/secrets/${name}`, { value: value2 }));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name, created: false });
    expect(await store.get(name)).toBe(value2);

    const listed = await call(h.get('/api/secrets'));
    expect(listed.status).toBe(200);
    expect(listed.body.writable).toBe(true);
    expect(listed.body.items.find((s: any) => s.name === name)).toEqual({
      name,
      allowedHosts: ['api.helpdesk.example'],
      flowIds: null,
      roles: null,
      createdAt: created.body.createdAt,
      updatedAt: expect.any(String),
      updatedBy: 'CAUCE_ADMIN_KEY',
    });

    // Refusals do not echo it either.
    await call(h.put(`/api/secrets/${name}`, { value, extra: value }));
    await call(h.put(`/api/secrets/${name}`, { value }, 'editor'));
    await call(h.put('/api/secrets/bad name!', { value }));

    // At rest: AES-256-GCM ciphertext, no trace of the value in any column.
    const { rows } = await h.pool.query(`SELECT * FROM secrets WHERE name = $1`, [name]);
    expect(rows).toHaveLength(1);
    for (const [column, v] of Object.entries(rows[0])) {
      const bytes = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
      for (const secret of [value, value2]) {
        expect([column, bytes.includes(Buffer.from(secret))]).toEqual([column, false]);
        expect([column, bytes.toString('hex').includes(Buffer.from(secret).toString('hex'))]).toEqual([column, false]);
        expect([column, bytes.toString('base64').includes(Buffer.from(secret).toString('base64').slice(0, 20))]).toEqual([column, false]);
      }
    }

    const deleted = await call(h.del(`/api/secrets/${name}`));
    expect(deleted.status).toBe(204);
    expect(await store.get(name)).toBeUndefined();
    const again = await call(h.del(`/api/secrets/${name}`));
    expect(again.status).toBe(404);
    expect(again.body.message).toBe(`Secret ${name} not found`);
    expect((await call(h.get('/api/secrets'))).body.items.map((s: any) => s.name)).not.toContain(name);

    // The audit log records the name and the actor only.
    const audit = await call(h.get(`/api/audit?targetId=${name}`));
    expect(audit.body.items.map((e: any) => [e.action, e.targetType, e.actorId, e.details])).toEqual([
      ['secret.deleted', 'secret', 'admin', {}],
      ['secret.set', 'secret', 'admin', { created: false }],
      ['secret.set', 'secret', 'admin', { created: true, allowedHosts: ['api.helpdesk.example'] }],
    ]);
    const { rows: auditRows } = await h.pool.query(`SELECT row_to_json(a)::text AS row FROM audit_log a`);
    for (const secret of [value, value2]) {
      expect(auditRows.filter((r) => r.row.includes(secret))).toEqual([]);
      expect(responses.filter((r) => r.text.includes(secret)).map((r) => r.text)).toEqual([]);
      expect(printed.filter((p) => p.includes(secret))).toEqual([]);
    }
  });

  it('validates the name, the value and the scope, naming the field', async () => {
    const hosts = { allowedHosts: ['api.example.com'] };
    const badName = await h.put(`/api/secrets/${'x'.repeat(121)}`, { value: 'v', ...hosts });
    expect(badName.body).toMatchObject({ statusCode: 400, message: 'name must be 1 to 120 letters, digits, ".", "_" or "-"' });
    const empty = await h.put('/api/secrets/EMPTY', { value: '', ...hosts });
    expect(empty.body).toMatchObject({ statusCode: 400, message: 'value must not be empty' });
    const notText = await h.put('/api/secrets/NUMBER', { value: 42, ...hosts });
    expect(notText.body.message).toContain('value must be a string');
    const noHosts = await h.put('/api/secrets/NO_HOSTS', { value: 'v' });
    expect(noHosts.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('allowedHosts is required for a new secret') });
    const badHost = await h.put('/api/secrets/BAD_HOST', { value: 'v', allowedHosts: ['api.example.com', 'https://evil.com/'] });
    expect(badHost.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('allowedHosts.1 ("https://evil.com/") must be a host name') });
    const badRole = await h.put('/api/secrets/BAD_ROLE', { value: 'v', ...hosts, roles: ['system'] });
    expect(badRole.body.message).toContain('roles must contain only admin, editor');
    const badFlow = await h.put('/api/secrets/BAD_FLOW', { value: 'v', ...hosts, flowIds: ['x'] });
    expect(badFlow.body.message).toContain('flowIds must contain flow ids (UUIDs)');
    expect((await h.request('PATCH', '/api/secrets/NOT_THERE', { body: hosts })).status).toBe(404);
    // The scope is documented on both write bodies.
    const schemas = (await h.get('/api/openapi.json', null)).body.components.schemas;
    for (const dto of ['SetSecretDto', 'SetSecretScopeDto']) {
      expect([dto, Object.keys(schemas[dto].properties).sort()]).toEqual([
        dto,
        dto === 'SetSecretDto' ? ['allowedHosts', 'flowIds', 'roles', 'value'] : ['allowedHosts', 'flowIds', 'roles'],
      ]);
      expect(schemas[dto].properties.allowedHosts.description).toContain('Hosts a flow’s http node may send the secret to');
    }
    const tooLarge = await h.put('/api/secrets/LARGE', { value: 'é'.repeat(40 * 1024), ...hosts });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.message).toContain('value: the secret "LARGE" is larger than 65536 bytes');
  });

  it('is admin only: editor, operator and system keys are refused on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/secrets'],
      ['PUT', '/api/secrets/ANY', { value: 'v', allowedHosts: ['x.com'] }],
      ['PATCH', '/api/secrets/ANY', { allowedHosts: ['x.com'] }],
      ['DELETE', '/api/secrets/ANY'],
    ];
    for (const [method, path, body] of routes) {
      for (const role of ['editor', 'operator', 'system'] as const) {
        const res = await h.request(method, path, { key: role, body });
        expect([method, role, res.status]).toEqual([method, role, 403]);
        expect(res.body.message).toContain(`requires the admin role; this key has the role ${role}`);
      }
      expect((await h.request(method, path, { key: null, body })).status).toBe(401);
    }
  });
});

describe('API: secrets without SECRETS_KEY', () => {
  const h = new ApiHarness();
  beforeAll(() => {
    delete process.env.SECRETS_KEY;
    return h.setup({ worker: false });
  }, 90_000);
  afterAll(() => h.teardown());

  it('answers 503 naming SECRETS_KEY to a set, and still lists names', async () => {
    const res = await h.put('/api/secrets/SOME_TOKEN', { value: 'abc', allowedHosts: ['x.com'] });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(res.body.message).toContain('SECRETS_KEY is not configured');
    const listed = await h.get('/api/secrets');
    expect(listed.status).toBe(200);
    expect(listed.body.writable).toBe(false);
    expect(listed.body.items.map((s: any) => s.name)).not.toContain('SOME_TOKEN');
  });
});

/**
 * A receiving server on 127.0.0.1 that records every request's path and headers. Reached as
 * `127.0.0.1:<port>` it is the secret's allowed host; reached as `localhost:<port>` it is another host
 * (same socket, different name), which is exactly what the binding must tell apart.
 */
async function startReceiver() {
  const hits: { path: string; authorization: string | null; host: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.push({ path, authorization: req.headers.authorization ?? null, host: req.headers.host });
      if (path === '/bounce') {
        // A redirect from the allowed host to another one: the secret must not follow it.
        res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/collect` });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    allowed: `127.0.0.1:${port}`,
    other: `localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('API: secrets go only to their allowed hosts (real API, worker, Temporal and a receiving server)', () => {
  const h = new ApiHarness();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const saved = { SECRETS_KEY: process.env.SECRETS_KEY, CAUCE_ALLOW_PRIVATE_NETWORKS: process.env.CAUCE_ALLOW_PRIVATE_NETWORKS };
  beforeAll(async () => {
    process.env.SECRETS_KEY = SECRETS_KEY;
    // The receiver listens on loopback, which the SSRF guard refuses unless told otherwise.
    process.env.CAUCE_ALLOW_PRIVATE_NETWORKS = 'true';
    receiver = await startReceiver();
    await h.setup({ worker: true });
  }, 90_000);
  afterAll(async () => {
    await h.teardown();
    await receiver?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const secretName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;
  /** start → call (http) → ok: end; error: a message with the node's error, then end. */
  const httpFlow = (url: string, secret: string) =>
    flow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['call', 'http', { label: 'Avisar al helpdesk', method: 'POST', url, secretHeaders: { Authorization: secret }, body: '{"hola": 1}' }],
        ['sent', 'end', { outcome: 'resolved' }],
        ['report', 'message', { text: '{{ nodes.call.output.error }}' }],
        ['failed', 'end', { outcome: 'abandoned' }],
      ],
      [
        ['start', 'next', 'call'],
        ['call', 'ok', 'sent'],
        ['call', 'error', 'report'],
        ['report', 'next', 'failed'],
      ],
    );
  const finished = (runId: string) =>
    h.eventually(async () => {
      const s = (await h.get(`/api/runs/${runId}`, 'editor')).body;
      return s.status === 'completed' && s;
    }, 30_000);
  const storeSecret = async (name: string, value: string, scope: Record<string, unknown>) => {
    const res = await h.put(`/api/secrets/${name}`, { value, ...scope });
    expect(res.status).toBe(201);
  };

  it('the allowed host receives the secret; a redirect to another host never does', async () => {
    const name = secretName('HELPDESK');
    const value = `Bearer ${randomBytes(16).toString('hex')}`;
    await storeSecret(name, value, { allowedHosts: [receiver.allowed] });

    const flowId = await h.publishedFlow('secret to its host', httpFlow(`http://${receiver.allowed}/hook/{{ input.ticket }}`, name));
    const started = await h.post(`/api/flows/${flowId}/runs`, { input: { ticket: 't1' } }, 'system');
    expect(started.status).toBe(201);
    expect(await finished(started.body.runId)).toMatchObject({ outcome: 'resolved' });
    expect(receiver.hits.filter((x) => x.path === '/hook/t1')).toEqual([{ path: '/hook/t1', authorization: value, host: receiver.allowed }]);

    const bounced = await h.publishedFlow('secret redirected', httpFlow(`http://${receiver.allowed}/bounce`, name));
    const run = await h.post(`/api/flows/${bounced}/runs`, {}, 'system');
    expect(await finished(run.body.runId)).toMatchObject({ outcome: 'resolved' });
    const collected = receiver.hits.filter((x) => x.path === '/collect');
    expect(collected).toEqual([{ path: '/collect', authorization: null, host: receiver.other }]);
    expect(receiver.hits.filter((x) => x.host !== receiver.allowed && x.authorization !== null)).toEqual([]);
  }, 60_000);

  it('publish and the editor’s test run refuse a literal host the secret does not allow, naming node and field; missing and refused read the same', async () => {
    const name = secretName('CRM');
    await storeSecret(name, `tok-${randomBytes(8).toString('hex')}`, { allowedHosts: [receiver.allowed] });
    const missing = secretName('NO_SUCH');

    const problems: Record<string, any> = {};
    for (const [label, secret] of [
      ['refused', name],
      ['missing', missing],
    ] as const) {
      const created = await h.post('/api/flows', { name: `exfiltrate ${label}`, definition: httpFlow(`http://${receiver.other}/steal`, secret) }, 'editor');
      const published = await h.post(`/api/flows/${created.body.id}/publish?locale=en`, undefined, 'editor');
      expect(published.status).toBe(422);
      const errors = published.body.details.errors;
      expect(errors).toEqual([
        {
          code: 'node.secret_not_available',
          severity: 'error',
          nodeId: 'call',
          field: 'secretHeaders.Authorization',
          message: expect.stringContaining(`Node “Avisar al helpdesk” sends the secret “${secret}” (header “Authorization”) to ${receiver.other}`),
          messages: { es: expect.stringContaining(`El nodo «Avisar al helpdesk» envía el secreto «${secret}»`), en: expect.any(String) },
        },
      ]);
      problems[label] = errors[0];
      const testRun = await h.post(`/api/flows/${created.body.id}/test-runs?locale=en`, {}, 'editor');
      expect(testRun.status).toBe(422);
      expect(testRun.body.details.errors[0]).toMatchObject({ code: 'node.secret_not_available', nodeId: 'call' });
      const validated = await h.post(`/api/flows/${created.body.id}/validate?locale=en`, {}, 'editor');
      expect(validated.body).toMatchObject({ valid: false, errors: [{ code: 'node.secret_not_available' }] });
    }
    // The only difference between a refused secret and one that does not exist is the name.
    expect(problems.missing.messages.en).toBe(problems.refused.messages.en.split(name).join(missing));
    expect(problems.missing.messages.es).toBe(problems.refused.messages.es.split(name).join(missing));
    expect(receiver.hits.filter((x) => x.path === '/steal')).toEqual([]);
  });

  it('an editor’s test run with a templated host cannot send a secret elsewhere: the node fails with the same message as for a missing secret', async () => {
    const name = secretName('ERP');
    const value = `tok-${randomBytes(12).toString('hex')}`;
    await storeSecret(name, value, { allowedHosts: [receiver.allowed] });
    const missing = secretName('NONE');

    const reports: string[] = [];
    for (const secret of [name, missing]) {
      const created = await h.post('/api/flows', { name: 'templated host', definition: httpFlow('http://{{ input.host }}/steal', secret) }, 'editor');
      // A templated host is checked at run time, so the draft validates.
      const testRun = await h.post(`/api/flows/${created.body.id}/test-runs`, { input: { host: receiver.other } }, 'editor');
      expect(testRun.status).toBe(201);
      const done = await finished(testRun.body.runId);
      expect(done.outcome).toBe('abandoned');
      const report = done.transcript.map((t: any) => t.text).join('\n');
      expect(report).toContain(`secret "${secret}" is not available for host ${receiver.other}`);
      reports.push(report);
    }
    expect(reports[1]).toBe(reports[0].split(name).join(missing));
    expect(receiver.hits.filter((x) => x.path === '/steal')).toEqual([]);
    expect(JSON.stringify(receiver.hits)).not.toContain(value);
  }, 60_000);

  it('flowIds and roles limit who may use a secret; PATCH changes the scope of a secret stored without hosts', async () => {
    // A secret as the migration leaves older ones: no allowed hosts.
    const legacy = secretName('LEGACY');
    await createPgSecretStore(h.pool, SECRETS_KEY).set(legacy, 'legacy-value');
    const created = await h.post('/api/flows', { name: 'legacy secret', definition: httpFlow(`http://${receiver.allowed}/legacy`, legacy) }, 'editor');
    const flowId = created.body.id;
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'editor')).status).toBe(422);

    // Admin only, this flow only.
    const patched = await h.request('PATCH', `/api/secrets/${legacy}`, { body: { allowedHosts: [receiver.allowed], flowIds: [flowId], roles: [] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: legacy, allowedHosts: [receiver.allowed], flowIds: [flowId], roles: [] });
    expect(JSON.stringify(patched.body)).not.toContain('legacy-value');
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'editor')).status).toBe(422);
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'admin')).status).toBe(201);

    // Another flow may not use it, even to the allowed host.
    const other = await h.post('/api/flows', { name: 'other flow', definition: httpFlow(`http://${receiver.allowed}/legacy`, legacy) }, 'admin');
    expect((await h.post(`/api/flows/${other.body.id}/publish`, undefined, 'admin')).status).toBe(422);

    // Editors allowed again: the editor publishes.
    expect((await h.request('PATCH', `/api/secrets/${legacy}`, { body: { roles: ['editor'] } })).body).toMatchObject({ flowIds: [flowId], roles: ['editor'] });
    expect((await h.post(`/api/flows/${flowId}/publish`, undefined, 'editor')).status).toBe(201);
    const audit = await h.get(`/api/audit?targetId=${legacy}`);
    expect(audit.body.items.map((e: any) => [e.action, e.details])).toEqual([
      ['secret.scope_set', { roles: ['editor'] }],
      ['secret.scope_set', { allowedHosts: [receiver.allowed], flowIds: [flowId], roles: [] }],
    ]);
  });
});
