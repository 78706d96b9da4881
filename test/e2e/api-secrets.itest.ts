/* eslint-disable @typescript-eslint/no-explicit-any */
// Stored secrets over HTTP against the real API and PostgreSQL: set, replace, list, delete, admin
// only, and the value never leaves: not in any response, not in the audit log, not in clear in the
// `secrets` table, not in anything the process prints. Without SECRETS_KEY setting answers 503.
import { randomBytes } from 'node:crypto';
import { createPgSecretStore } from '../../activities/secrets/secret-store';
import { ApiHarness, ApiResponse } from './api-harness';

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

    const created = await call(h.put(`/api/secrets/${name}`, { value }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name, created: true, createdAt: expect.any(String), updatedAt: expect.any(String), updatedBy: 'CAUCE_ADMIN_KEY' });

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
    expect(listed.body.items.find((s: any) => s.name === name)).toEqual({ name, createdAt: created.body.createdAt, updatedAt: expect.any(String), updatedBy: 'CAUCE_ADMIN_KEY' });

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
      ['secret.set', 'secret', 'admin', { created: true }],
    ]);
    const { rows: auditRows } = await h.pool.query(`SELECT row_to_json(a)::text AS row FROM audit_log a`);
    for (const secret of [value, value2]) {
      expect(auditRows.filter((r) => r.row.includes(secret))).toEqual([]);
      expect(responses.filter((r) => r.text.includes(secret)).map((r) => r.text)).toEqual([]);
      expect(printed.filter((p) => p.includes(secret))).toEqual([]);
    }
  });

  it('validates the name and the value, naming the field', async () => {
    const badName = await h.put(`/api/secrets/${'x'.repeat(121)}`, { value: 'v' });
    expect(badName.body).toMatchObject({ statusCode: 400, message: 'name must be 1 to 120 letters, digits, ".", "_" or "-"' });
    const empty = await h.put('/api/secrets/EMPTY', { value: '' });
    expect(empty.body).toMatchObject({ statusCode: 400, message: 'value must not be empty' });
    const notText = await h.put('/api/secrets/NUMBER', { value: 42 });
    expect(notText.body.message).toContain('value must be a string');
    const tooLarge = await h.put('/api/secrets/LARGE', { value: 'é'.repeat(40 * 1024) });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.message).toContain('value: the secret "LARGE" is larger than 65536 bytes');
  });

  it('is admin only: editor, operator and system keys are refused on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/secrets'],
      ['PUT', '/api/secrets/ANY', { value: 'v' }],
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
    const res = await h.put('/api/secrets/SOME_TOKEN', { value: 'abc' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(res.body.message).toContain('SECRETS_KEY is not configured');
    const listed = await h.get('/api/secrets');
    expect(listed.status).toBe(200);
    expect(listed.body.writable).toBe(false);
    expect(listed.body.items.map((s: any) => s.name)).not.toContain('SOME_TOKEN');
  });
});
