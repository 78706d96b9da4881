import { MetricsService } from '../metrics/metrics.service';
import type { Actor } from './actor';
import type { ApiKeysService } from './api-keys.service';
import { requestGate } from './request-gate';
import { RequestLimits } from './request-limits';

const shop: Actor = { id: 'k-shop', name: 'shop', role: 'system', flowIds: null, rateLimit: 1 };

/** The gate over a key cache that knows `shop`, knows `gone` is unknown, and has not seen anything else. */
function gate(address: Partial<RequestLimits['address']> = {}) {
  const keys = {
    peek: (k: string) => (k === 'shop' ? shop : k === 'gone' ? null : undefined),
    knewOf: (k: string) => k === 'stale',
  } as unknown as ApiKeysService;
  const limits = new RequestLimits(new MetricsService());
  Object.assign(limits.address, address);
  const middleware = requestGate(limits, keys, 'api');
  return (path: string, key?: string, ip = '192.0.2.10') => {
    const req = { path, ip, headers: key ? { authorization: `Bearer ${key}` } : {}, socket: {}, resume: jest.fn() } as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = {
      statusCode: 200,
      headers: {} as Record<string, string>,
      body: undefined as unknown,
      setHeader(k: string, v: string) {
        this.headers[k] = v;
      },
      end(b: string) {
        this.body = JSON.parse(b);
      },
    };
    let passed = false;
    middleware(req as never, res as never, () => (passed = true));
    return { passed, req, res };
  };
}

describe('requestGate', () => {
  it('limits every API request per client address before anything else, answering 429 with Retry-After', () => {
    const send = gate({ requests: 2 });
    const results = Array.from({ length: 6 }, () => send('/api/health'));
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, false, false]);
    const refused = results[4];
    expect(refused.res.statusCode).toBe(429);
    expect(refused.res.headers['Retry-After']).toBe('1');
    expect(refused.res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(refused.res.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Rate limit of 2 requests per second exceeded for this client address; retry in 1 s',
    });
    // Another address, and paths outside the API (the editor's files), are not charged.
    expect(send('/api/health', undefined, '192.0.2.11').passed).toBe(true);
    expect(send('/assets/app.js').passed).toBe(true);
  });

  it('refuses a cached key over its own limit before the body is read, and hands an admitted key to the guard', () => {
    const send = gate();
    const first = send('/api/runs/r/messages', 'shop');
    expect(first.passed).toBe(true);
    expect(first.req.gate).toEqual({ actor: shop });
    expect(first.res.headers['RateLimit-Limit']).toBe('1');
    send('/api/runs/r/messages', 'shop');
    const third = send('/api/runs/r/messages', 'shop');
    expect(third.passed).toBe(false);
    expect(third.res.statusCode).toBe(429);
    expect((third.res.body as { message: string }).message).toBe('Rate limit of 1 requests per second exceeded for this key; retry in 1 s');
  });

  it('charges keys it has not cached to the address lookup budget, and leaves known-unknown and missing keys to the guard', () => {
    const send = gate({ keyLookups: 1 });
    const first = send('/api/me', 'new-1');
    expect(first.passed).toBe(true);
    expect(first.req.gate).toEqual({ lookupCharged: true });
    expect(send('/api/me', 'new-2').passed).toBe(true);
    const third = send('/api/me', 'new-3');
    expect(third.passed).toBe(false);
    expect((third.res.body as { message: string }).message).toBe('Too many unknown API keys from this client address (at most 1 per second); retry in 1 s');
    // Cached as unknown: the guard answers 401 without a lookup; no key: 401 (or a public route).
    expect(send('/api/me', 'gone').passed).toBe(true);
    expect(send('/api/me').passed).toBe(true);
    // A key the instance knows passes while the address's lookup budget is spent.
    expect(send('/api/me', 'shop').passed).toBe(true);
    // So does one it found valid before whose cache entry expired: its lookup is a revalidation.
    const stale = send('/api/me', 'stale');
    expect(stale.passed).toBe(true);
    expect(stale.req.gate).toBeUndefined();
  });
});
