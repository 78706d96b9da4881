import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { Pool } from 'pg';
import { SMTPServer, SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { testInfra, uniqueId } from '../../test/infra';
import { createEnvSecretResolver } from '../http/secrets';
import { createActivities } from '../index';
import { createNotifyActivities } from './notify.activities';
import { createSlackProvider } from './slack-provider';
import { createSmtpProvider } from './smtp-provider';
import { createTwilioProvider } from './twilio-provider';

// ---- a real SMTP server ------------------------------------------------------------------------
interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
  raw: string;
}

async function startSmtp() {
  const received: ReceivedMail[] = [];
  /** Recipients the server refuses, with the SMTP reply code. */
  const refuse = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'cauce' && auth.password === 's3cret') return callback(null, { user: 'cauce' });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      const code = refuse.get(address.address);
      if (code) return callback(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: import('node:net').Server }).server.address() as AddressInfo;
  return { port, received, refuse, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Just enough MIME to read what nodemailer wrote: unfolded headers, RFC 2047 words, quoted-printable or base64 bodies. */
function parseMail(raw: string) {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const qp = (s: string) => {
    const bytes: number[] = [];
    const text = s.replace(/=\r?\n/g, '');
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
        bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(text[i], 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  };
  const words = (s: string) =>
    s
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _cs, enc: string, text: string) =>
        enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
      );
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text = encoding === 'quoted-printable' ? qp(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return {
    headers,
    from: words(headers.from ?? ''),
    to: words(headers.to ?? ''),
    subject: words(headers.subject ?? ''),
    text: text.replace(/\r\n/g, '\n').trimEnd(),
  };
}

// ---- a local HTTP API (Slack webhooks, Twilio) -------------------------------------------------
interface HttpHit {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
async function startApi() {
  const hits: HttpHit[] = [];
  let respond: (hit: HttpHit) => { status: number; body: string; headers?: Record<string, string> } = () => ({ status: 200, body: 'ok' });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      hits.push(hit);
      const r = respond(hit);
      res.writeHead(r.status, { 'content-type': r.body.startsWith('{') ? 'application/json' : 'text/plain', ...(r.headers ?? {}) });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    respond: (fn: typeof respond) => {
      respond = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('notification providers (real SMTP server, local Slack and Twilio APIs)', () => {
  let pool: Pool;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let api: Awaited<ReturnType<typeof startApi>>;
  const ctxFor = (node = 'alert') => {
    const runId = uniqueId('run');
    return { runId, flowId: uniqueId('flow'), nodeId: node, idempotencyKey: `${runId}:${node}:1` };
  };
  const outbox = async (id: string) => (await pool.query('SELECT status, reason, attempts, sent_at FROM outbox WHERE id = $1', [id])).rows[0];
  async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
    [smtp, api] = await Promise.all([startSmtp(), startApi()]);
  });
  afterAll(async () => {
    await Promise.all([smtp?.close(), api?.close()]);
    await pool?.end();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.refuse.clear();
    api.hits.length = 0;
    api.respond(() => ({ status: 200, body: 'ok' }));
  });

  describe('email over SMTP', () => {
    const provider = () =>
      createSmtpProvider({ url: `smtp://cauce:s3cret@127.0.0.1:${smtp.port}`, from: 'Cauce Alertas <alertas@cauce.test>', timeoutMs: 5_000 });

    it('delivers from, to, subject and body, marks the outbox row sent, and never sends it twice', async () => {
      const { notify } = createNotifyActivities({ pool, providers: { email: provider() } });
      const ctx = ctxFor();
      const input = {
        ctx,
        channel: 'email' as const,
        to: 'Equipo@Example.com, soporte@example.com',
        subject: 'Escalado: cliente VIP esperando',
        text: 'Ana García lleva 20 minutos esperando.\nPedido #1234 — reembolso pendiente.',
        purpose: 'escalation',
      };
      const out = await notify(input);
      expect(out).toEqual({ outboxId: expect.any(String), status: 'sent' });
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0];
      expect(mail.user).toBe('cauce');
      expect(mail.envelopeFrom).toBe('alertas@cauce.test');
      expect(mail.envelopeTo).toEqual(['equipo@example.com', 'soporte@example.com']);
      const parsed = parseMail(mail.raw);
      expect(parsed.from).toBe('Cauce Alertas <alertas@cauce.test>');
      expect(parsed.to).toBe('equipo@example.com, soporte@example.com');
      expect(parsed.subject).toBe('Escalado: cliente VIP esperando');
      expect(parsed.text).toBe('Ana García lleva 20 minutos esperando.\nPedido #1234 — reembolso pendiente.');
      expect(parsed.headers['message-id']).toBe(`<outbox-${out.outboxId}@cauce.local>`);
      expect(parsed.headers['x-cauce-idempotency-key']).toBe(ctx.idempotencyKey);
      expect(await outbox(out.outboxId)).toMatchObject({ status: 'sent', reason: null, attempts: 1, sent_at: expect.any(Date) });

      expect(await notify(input)).toEqual(out);
      expect(smtp.received).toHaveLength(1);
    });

    it('a recipient the server refuses for good (550): non-retryable, row failed; a temporary 451: retryable', async () => {
      const { notify } = createNotifyActivities({ pool, providers: { email: provider() } });
      smtp.refuse.set('nobody@example.com', 550);
      const ctx = ctxFor();
      const err = await failure(notify({ ctx, channel: 'email', to: 'nobody@example.com', text: 'hola' }));
      expect(err).toMatchObject({ nonRetryable: true, type: 'NotifyRejected' });
      const row = (await pool.query('SELECT status, reason FROM outbox WHERE idempotency_key = $1', [ctx.idempotencyKey])).rows[0];
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(/^smtp: SMTP: .*550/);

      smtp.refuse.set('later@example.com', 451);
      expect(await failure(notify({ ctx: ctxFor(), channel: 'email', to: 'later@example.com', text: 'hola' }))).toMatchObject({
        nonRetryable: false,
        type: 'NotifyDeliveryFailed',
      });
      expect(smtp.received).toHaveLength(0);
    });

    it('a rejected login is non-retryable and its message has no password; an invalid address fails before connecting', async () => {
      const wrong = createSmtpProvider({ url: `smtp://cauce:wrong-pass@127.0.0.1:${smtp.port}`, from: 'alertas@cauce.test', timeoutMs: 5_000 });
      const { notify } = createNotifyActivities({ pool, providers: { email: wrong } });
      const err = await failure(notify({ ctx: ctxFor(), channel: 'email', to: 'equipo@example.com', text: 'x' }));
      expect(err).toMatchObject({ nonRetryable: true, type: 'NotifyRejected' });
      expect(err.message).not.toContain('wrong-pass');

      const ok = createNotifyActivities({ pool, providers: { email: provider() } });
      expect(await failure(ok.notify({ ctx: ctxFor(), channel: 'email', to: 'not-an-address', text: 'x' }))).toMatchObject({
        nonRetryable: true,
        type: 'InvalidInput',
      });
      expect(smtp.received).toHaveLength(0);
    });

    it('a server that is down: retryable', async () => {
      const down = createSmtpProvider({ url: 'smtp://cauce:s3cret@127.0.0.1:1', from: 'alertas@cauce.test', timeoutMs: 2_000 });
      const { notify } = createNotifyActivities({ pool, providers: { email: down } });
      expect(await failure(notify({ ctx: ctxFor(), channel: 'email', to: 'equipo@example.com', text: 'x' }))).toMatchObject({ nonRetryable: false });
    });
  });

  describe('Slack incoming webhooks', () => {
    it('posts the text to the configured webhook, or to the webhook URL or stored secret given as the recipient', async () => {
      const secrets = createEnvSecretResolver({
        CAUCE_SECRET_SLACK_OPS: `${api.base}/services/T000/B000/secret-ops`,
        CAUCE_SECRET_HOSTS_SLACK_OPS: new URL(api.base).host,
      });
      const slack = createSlackProvider({ webhookUrl: `${api.base}/services/T000/B000/default`, secrets, allowPrivateNetworks: true });
      const { notify } = createNotifyActivities({ pool, providers: { slack } });

      const ctx = ctxFor();
      const out = await notify({ ctx, channel: 'slack', to: '#soporte', subject: 'Escalado <VIP>', text: 'Ana & Luis esperan > 20 min' });
      expect(out.status).toBe('sent');
      expect(api.hits[0]).toMatchObject({ method: 'POST', path: '/services/T000/B000/default' });
      expect(api.hits[0].headers['content-type']).toContain('application/json');
      expect(api.hits[0].headers['x-cauce-idempotency-key']).toBe(ctx.idempotencyKey);
      expect(JSON.parse(api.hits[0].body)).toEqual({ text: '*Escalado &lt;VIP&gt;*\nAna &amp; Luis esperan &gt; 20 min' });
      expect(await outbox(out.outboxId)).toMatchObject({ status: 'sent' });

      await notify({ ctx: ctxFor(), channel: 'slack', to: `${api.base}/services/T111/B111/ventas`, text: 'Nueva venta' });
      expect(api.hits[1]).toMatchObject({ path: '/services/T111/B111/ventas', body: JSON.stringify({ text: 'Nueva venta' }) });
      await notify({ ctx: ctxFor(), channel: 'slack', to: 'secret:slack_ops', text: 'Ops' });
      expect(api.hits[2].path).toBe('/services/T000/B000/secret-ops');
    });

    it('a permanent Slack error is non-retryable; 429 keeps its Retry-After through the outbox; 500 is retryable; messages hide the URL path', async () => {
      const slack = createSlackProvider({ webhookUrl: `${api.base}/services/T000/B000/s3cr3t-path`, allowPrivateNetworks: true });
      const { notify } = createNotifyActivities({ pool, providers: { slack } });
      api.respond(() => ({ status: 404, body: 'channel_not_found' }));
      const gone = await failure(notify({ ctx: ctxFor(), channel: 'slack', to: '#x', text: 'x' }));
      expect(gone).toMatchObject({ nonRetryable: true, type: 'NotifyRejected' });
      expect(gone.message).toContain('channel_not_found');
      expect(gone.message).not.toContain('s3cr3t-path');

      api.respond(() => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': '12' } }));
      expect(await failure(notify({ ctx: ctxFor(), channel: 'slack', to: '#x', text: 'x' }))).toMatchObject({
        nonRetryable: false,
        type: 'NotifyDeliveryFailed',
        nextRetryDelay: '12s',
      });
      api.respond(() => ({ status: 500, body: 'oops' }));
      expect(await failure(notify({ ctx: ctxFor(), channel: 'slack', to: '#x', text: 'x' }))).toMatchObject({ nonRetryable: false });
    });

    it('refuses private networks without the allowance, and a recipient that is no webhook without a default', async () => {
      const strict = createNotifyActivities({ pool, providers: { slack: createSlackProvider({ webhookUrl: `${api.base}/hook` }) } });
      expect(await failure(strict.notify({ ctx: ctxFor(), channel: 'slack', to: '#x', text: 'x' }))).toMatchObject({
        nonRetryable: true,
        type: 'HttpUrlRefused',
      });
      const none = createNotifyActivities({ pool, providers: { slack: createSlackProvider({ allowPrivateNetworks: true }) } });
      expect(await failure(none.notify({ ctx: ctxFor(), channel: 'slack', to: '#x', text: 'x' }))).toMatchObject({ nonRetryable: true, type: 'InvalidInput' });
      expect(api.hits).toHaveLength(0);
    });
  });

  describe('Twilio SMS and WhatsApp', () => {
    const sid = 'AC0123456789abcdef0123456789abcdef';
    const secrets = createEnvSecretResolver({ CAUCE_SECRET_TWILIO_AUTH_TOKEN: 'tw-token-123' });
    const twilio = (channel: 'sms' | 'whatsapp', extra: Partial<Parameters<typeof createTwilioProvider>[0]> = {}) =>
      createTwilioProvider({
        channel,
        accountSid: sid,
        from: channel === 'sms' ? '+15005550006' : '+14155238886',
        secrets,
        baseUrl: api.base,
        allowPrivateNetworks: true,
        ...extra,
      });
    const created = () => ({ status: 201, body: JSON.stringify({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' }) });

    it('sends an SMS form-encoded with basic auth to the Messages resource', async () => {
      api.respond(created);
      const { notify } = createNotifyActivities({ pool, providers: { sms: twilio('sms') } });
      const out = await notify({ ctx: ctxFor(), channel: 'sms', to: '+34 600-123 456', text: 'Tu pedido #1234 ha salido. ¡Gracias!' });
      expect(out.status).toBe('sent');
      const hit = api.hits[0];
      expect(hit).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${sid}/Messages.json` });
      expect(hit.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(hit.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:tw-token-123`).toString('base64')}`);
      expect(Object.fromEntries(new URLSearchParams(hit.body))).toEqual({
        To: '+34600123456',
        From: '+15005550006',
        Body: 'Tu pedido #1234 ha salido. ¡Gracias!',
      });
      expect(await outbox(out.outboxId)).toMatchObject({ status: 'sent' });
    });

    it('sends WhatsApp with whatsapp: addresses, and a Messaging Service as MessagingServiceSid', async () => {
      api.respond(created);
      const { notify } = createNotifyActivities({
        pool,
        providers: { whatsapp: twilio('whatsapp'), sms: twilio('sms', { from: 'MG0123456789abcdef0123456789abcdef' }) },
      });
      await notify({ ctx: ctxFor(), channel: 'whatsapp', to: '0034600123456', subject: 'Pedido', text: 'Ha salido' });
      expect(Object.fromEntries(new URLSearchParams(api.hits[0].body))).toEqual({
        To: 'whatsapp:+34600123456',
        From: 'whatsapp:+14155238886',
        Body: 'Pedido\nHa salido',
      });
      await notify({ ctx: ctxFor(), channel: 'sms', to: '+34600123456', text: 'x' });
      expect(Object.fromEntries(new URLSearchParams(api.hits[1].body))).toEqual({
        To: '+34600123456',
        MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
        Body: 'x',
      });
    });

    it("Twilio's 400 (its code in the reason) and 401 are non-retryable; 429 and 503 are retryable; a bad number or missing token fails before any request", async () => {
      const { notify } = createNotifyActivities({ pool, providers: { sms: twilio('sms') } });
      api.respond(() => ({
        status: 400,
        body: JSON.stringify({ code: 21211, message: "The 'To' number +34600000000 is not a valid phone number.", status: 400 }),
      }));
      const bad = await failure(notify({ ctx: ctxFor(), channel: 'sms', to: '+34600000000', text: 'x' }));
      expect(bad).toMatchObject({ nonRetryable: true, type: 'NotifyRejected' });
      expect(bad.message).toContain('Twilio error 21211');
      expect(bad.message).not.toContain('tw-token-123');
      api.respond(() => ({ status: 401, body: JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }) }));
      expect(await failure(notify({ ctx: ctxFor(), channel: 'sms', to: '+34600000001', text: 'x' }))).toMatchObject({ nonRetryable: true });
      api.respond(() => ({ status: 429, body: JSON.stringify({ code: 20429, message: 'Too Many Requests' }), headers: { 'retry-after': '3' } }));
      expect(await failure(notify({ ctx: ctxFor(), channel: 'sms', to: '+34600000002', text: 'x' }))).toMatchObject({
        nonRetryable: false,
        nextRetryDelay: '3s',
      });
      api.respond(() => ({ status: 503, body: 'unavailable' }));
      expect(await failure(notify({ ctx: ctxFor(), channel: 'sms', to: '+34600000003', text: 'x' }))).toMatchObject({ nonRetryable: false });
      expect(api.hits).toHaveLength(4);

      expect(await failure(notify({ ctx: ctxFor(), channel: 'sms', to: '600123456', text: 'x' }))).toMatchObject({ nonRetryable: true, type: 'InvalidInput' });
      const noToken = createNotifyActivities({ pool, providers: { sms: twilio('sms', { secrets: createEnvSecretResolver({}) }) } });
      expect(await failure(noToken.notify({ ctx: ctxFor(), channel: 'sms', to: '+34600123456', text: 'x' }))).toMatchObject({
        nonRetryable: true,
        type: 'MissingSecret',
      });
      expect(api.hits).toHaveLength(4);
    });
  });

  it('createActivities wires the providers from the environment', async () => {
    api.respond((hit) => (hit.path.includes('/Messages.json') ? { status: 201, body: '{"sid":"SM1"}' } : { status: 200, body: 'ok' }));
    const env = {
      CAUCE_ALLOW_PRIVATE_NETWORKS: 'true',
      SMTP_URL: `smtp://cauce:s3cret@127.0.0.1:${smtp.port}`,
      SMTP_FROM: 'alertas@cauce.test',
      SLACK_WEBHOOK_URL: `${api.base}/services/T/B/env`,
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
      TWILIO_AUTH_TOKEN_SECRET: 'tw_token',
      CAUCE_SECRET_TW_TOKEN: 'from-env-secret',
      TWILIO_FROM: '+15005550006',
      TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
      TWILIO_BASE_URL: api.base,
    };
    const a = createActivities({ pool, env });
    expect((await a.notify({ ctx: ctxFor('e'), channel: 'email', to: 'equipo@example.com', subject: 'Hola', text: 'x' })).status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    expect((await a.notify({ ctx: ctxFor('s'), channel: 'slack', to: '#ops', text: 'x' })).status).toBe('sent');
    expect((await a.notify({ ctx: ctxFor('m'), channel: 'sms', to: '+34600123456', text: 'x' })).status).toBe('sent');
    expect((await a.notify({ ctx: ctxFor('w'), channel: 'whatsapp', to: '+34600123456', text: 'x' })).status).toBe('sent');
    expect(api.hits.map((h) => h.path)).toEqual([
      '/services/T/B/env',
      `/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`,
      `/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`,
    ]);
    expect(api.hits[1].headers.authorization).toBe(`Basic ${Buffer.from(`${env.TWILIO_ACCOUNT_SID}:from-env-secret`).toString('base64')}`);
    expect(new URLSearchParams(api.hits[2].body).get('From')).toBe('whatsapp:+14155238886');

    // Without the variables every channel but webhook (which needs its signing secret) stays in the outbox.
    const bare = createActivities({ pool, env: {} });
    for (const channel of ['email', 'sms', 'slack', 'whatsapp'] as const) {
      expect(await bare.notify({ ctx: ctxFor(channel), channel, to: channel === 'email' ? 'a@example.com' : '+34600123456', text: 'x' })).toMatchObject({
        status: 'pending',
      });
    }
  });
});
