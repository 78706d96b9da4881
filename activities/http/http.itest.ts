import * as http from 'node:http';
import * as zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createHttpActivities } from './http.activities';
import { createEnvSecretResolver } from './secrets';

/** A local HTTP server with one route per behaviour under test. */
async function startServer() {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (path) {
        case '/echo':
          return json(200, {
            method: req.method,
            body,
            contentType: req.headers['content-type'] ?? null,
            auth: req.headers.authorization ?? null,
            custom: req.headers['x-custom'] ?? null,
          });
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('hola');
        case '/gzip':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          return res.end(zlib.gzipSync(JSON.stringify({ compressed: true })));
        case '/missing':
          return json(404, { error: 'no such order' });
        case '/boom':
          return json(503, { error: 'down' });
        case '/rate':
          return json(429, { error: 'slow down' }, { 'retry-after': '3' });
        case '/slow':
          setTimeout(() => json(200, { late: true }), 2_000).unref();
          return;
        case '/big': {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 97);
          let sent = 0;
          const pump = () => {
            while (sent < 40) {
              sent++;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          return pump();
        }
        case '/redirect':
          res.writeHead(302, { location: '/echo' });
          return res.end();
        case '/away': {
          // Same server, another host name: another origin for the client.
          const port = (server.address() as AddressInfo).port;
          res.writeHead(307, { location: `http://localhost:${port}/echo` });
          return res.end();
        }
        default:
          return json(404, {});
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('httpRequest against a real local server', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const ctx = { runId: 'r', flowId: 'f', nodeId: 'call', idempotencyKey: 'r:call:1' };
  // The secret's allowed host is the server's, known once it listens (the resolver reads env lazily).
  const env: Record<string, string> = { CAUCE_SECRET_CRM_TOKEN: 'Bearer s3cr3t-value' };
  const secrets = createEnvSecretResolver(env);
  const allowed = createHttpActivities({ secrets, allowPrivateNetworks: true, maxResponseBytes: 1024 * 1024 });

  beforeAll(async () => {
    server = await startServer();
    env.CAUCE_SECRET_HOSTS_CRM_TOKEN = new URL(server.base).host;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('returns ok with the JSON body, sends headers, body and resolved secrets, and masks secrets echoed back', async () => {
    const out = await allowed.httpRequest({
      ctx,
      method: 'post',
      url: `${server.base}/echo?order=1`,
      headers: { 'X-Custom': 'hola' },
      secretHeaders: { Authorization: 'crm-token' },
      body: '{"orderId": 1}',
    });
    expect(out).toMatchObject({
      ok: true,
      status: 200,
      body: { method: 'POST', body: '{"orderId": 1}', contentType: 'application/json', auth: '[secret]', custom: 'hola' },
    });
    expect(out.headers['content-type']).toContain('application/json');
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });

  it('returns text bodies as text, decompresses gzip and follows redirects', async () => {
    expect(await allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/text` })).toMatchObject({ ok: true, body: 'hola' });
    expect(await allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/gzip` })).toMatchObject({ ok: true, body: { compressed: true } });
    expect(await allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/redirect` })).toMatchObject({ ok: true, body: { method: 'GET' } });
  });

  it('sends a secret only to its allowed host, and never along a redirect to another origin', async () => {
    const other = server.base.replace('127.0.0.1', 'localhost');
    await expect(allowed.httpRequest({ ctx, method: 'GET', url: `${other}/echo`, secretHeaders: { Authorization: 'crm-token' } })).rejects.toMatchObject({
      type: 'SecretNotAvailable',
      nonRetryable: true,
    });
    const out = await allowed.httpRequest({ ctx, method: 'POST', url: `${server.base}/away`, secretHeaders: { Authorization: 'crm-token' }, body: '{}' });
    expect(out).toMatchObject({ ok: true, body: { method: 'POST', auth: null } });
  });

  it('returns ok: false for a 4xx (the node takes error without retrying)', async () => {
    const out = await allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/missing` });
    expect(out).toMatchObject({ ok: false, status: 404, body: { error: 'no such order' }, error: 'HTTP 404 Not Found' });
  });

  it('throws retryably on 5xx and 429 (with the Retry-After delay)', async () => {
    await expect(allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/boom` })).rejects.toMatchObject({
      nonRetryable: false,
      type: 'HttpServerError',
      message: expect.stringContaining('HTTP 503'),
    });
    await expect(allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/rate` })).rejects.toMatchObject({
      nonRetryable: false,
      nextRetryDelay: '3s',
    });
  });

  it('times out retryably', async () => {
    const started = Date.now();
    await expect(allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/slow`, timeoutMs: 200 })).rejects.toMatchObject({
      nonRetryable: false,
      type: 'HttpTimeout',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('aborts a response over the size cap', async () => {
    const capped = createHttpActivities({ secrets, allowPrivateNetworks: true, maxResponseBytes: 100_000 });
    await expect(capped.httpRequest({ ctx, method: 'GET', url: `${server.base}/big` })).rejects.toMatchObject({
      nonRetryable: true,
      type: 'HttpResponseTooLarge',
    });
    // Under the default cap (1 MiB) the same 2.5 MiB body is refused too; a bigger cap takes it.
    await expect(allowed.httpRequest({ ctx, method: 'GET', url: `${server.base}/big` })).rejects.toMatchObject({ type: 'HttpResponseTooLarge' });
    const roomy = createHttpActivities({ secrets, allowPrivateNetworks: true, maxResponseBytes: 4 * 1024 * 1024 });
    const out = await roomy.httpRequest({ ctx, method: 'GET', url: `${server.base}/big` });
    expect((out.body as string).length).toBe(40 * 64 * 1024);
  });

  it('refuses 127.0.0.1 and localhost when private networks are not allowed', async () => {
    const strict = createHttpActivities({ secrets });
    for (const url of [`${server.base}/echo`, server.base.replace('127.0.0.1', 'localhost') + '/echo']) {
      await expect(strict.httpRequest({ ctx, method: 'GET', url })).rejects.toMatchObject({
        nonRetryable: true,
        type: 'HttpUrlRefused',
        message: expect.stringContaining('loopback'),
      });
    }
  });
});
