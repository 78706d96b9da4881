import { createHmac } from 'node:crypto';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhook } from './signing';

describe('webhook signing (HMAC-SHA256)', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ id: 'o-1', text: 'Nuevo caso: pedido retrasado' });

  it('signs `${timestamp}.${body}` as sha256=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
    expect(signWebhook(secret, '1700000000', body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('verifies a good signature and rejects tampering, wrong secrets and stale timestamps', () => {
    const ts = 1700000000;
    const headers = { [TIMESTAMP_HEADER.toLowerCase()]: String(ts), [SIGNATURE_HEADER.toLowerCase()]: signWebhook(secret, ts, body) };
    expect(verifyWebhook(secret, headers, body, { now: ts + 10 })).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, { now: ts })).toBe(false);
    expect(verifyWebhook('other', headers, body, { now: ts })).toBe(false);
    expect(verifyWebhook(secret, headers, body, { now: ts + 301 })).toBe(false);
    expect(verifyWebhook(secret, { ...headers, [TIMESTAMP_HEADER.toLowerCase()]: String(ts + 1) }, body, { now: ts })).toBe(false);
    expect(verifyWebhook(secret, { [TIMESTAMP_HEADER]: String(ts) }, body, { now: ts })).toBe(false);
  });
});
