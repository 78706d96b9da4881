// The limits in front of authentication over real HTTP, against the real API and PostgreSQL: a flood
// of made-up keys from one address costs a bounded number of key lookups (counted by the service
// and by PostgreSQL's own statistics) and gets 429s, while a known key from the same address keeps
// working; a flooding key is refused before its body is read; the address comes from the TCP peer
// unless CAUCE_TRUST_PROXY names the proxy.
import { randomBytes } from 'node:crypto';
import { ApiHarness } from '../../../test/e2e/api-harness';
import { ApiKeysService } from './api-keys.service';
import { RequestLimits } from './request-limits';

const madeUp = () => `cauce_${randomBytes(32).toString('base64url')}`;

describe('API: limits before authentication', () => {
  const h = new ApiHarness();
  let limits: RequestLimits;
  let keys: ApiKeysService;
  beforeAll(async () => {
    await h.setup({ worker: false });
    limits = h.app.get(RequestLimits);
    keys = h.app.get(ApiKeysService);
  }, 90_000);
  afterAll(() => h.teardown());

  /** Index scans of api_keys as PostgreSQL counts them (backends report them within a second). */
  async function apiKeyScans(): Promise<number> {
    await new Promise((r) => setTimeout(r, 1_200));
    const { rows } = await h.pool.query(`SELECT (coalesce(idx_scan, 0) + coalesce(seq_scan, 0))::int AS n FROM pg_stat_user_tables WHERE relname = 'api_keys'`);
    return rows[0].n;
  }

  it('answers a flood of made-up keys with 429 after a few lookups, and keeps serving a known key from the same address', async () => {
    Object.assign(limits.address, { requests: 1000, keyLookups: 10 });
    expect((await h.get('/api/me', 'system')).status).toBe(200); // cached from here on
    const lookups0 = keys.lookups;
    const scans0 = await apiKeyScans();
    const started = performance.now();
    const statuses: Record<number, number> = {};
    let known = 0;
    let lastRefused: Awaited<ReturnType<typeof h.get>> | undefined;
    for (let batch = 0; batch < 10; batch++) {
      const replies = await Promise.all(Array.from({ length: 30 }, () => h.get('/api/me', madeUp())));
      for (const r of replies) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      lastRefused = replies.find((r) => r.status === 429) ?? lastRefused;
      if ((await h.get('/api/me', 'system')).status === 200) known++;
    }
    const seconds = (performance.now() - started) / 1000;
    const refused = lastRefused!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringContaining('Too many unknown API keys from this client address'),
    });
    const lookups = keys.lookups - lookups0;
    const scans = (await apiKeyScans()) - scans0;
    // A burst of 20, then 10 per second: 300 made-up keys cost at most that many lookups.
    const budget = 20 + Math.ceil(10 * seconds);
    expect(statuses[401]).toBe(lookups);
    expect(lookups).toBeLessThanOrEqual(budget);
    expect(statuses[429]).toBe(300 - lookups);
    expect(statuses[429]).toBeGreaterThan(200);
    expect(scans).toBeLessThanOrEqual(budget + 2);
    expect(known).toBe(10);

    // The same made-up key again is a known unknown: 401 without a lookup, whatever the budget.
    const before = keys.lookups;
    const bad = madeUp();
    Object.assign(limits.address, { keyLookups: 100_000 });
    expect((await h.get('/api/me', bad)).status).toBe(401);
    Object.assign(limits.address, { keyLookups: 10 });
    expect((await h.get('/api/me', bad)).status).toBe(401);
    expect(keys.lookups - before).toBe(1);
  }, 60_000);

  it('refuses a flooding key in front of the body parser, with the key named in the message', async () => {
    Object.assign(limits.address, { requests: 1000, keyLookups: 100 });
    const created = await h.post('/api/api-keys', { name: 'flooder', role: 'system', rateLimit: 1 }, 'admin');
    const key = created.body.key;
    expect((await h.get('/api/me', key)).status).toBe(200); // the key is cached now; 1 of its burst of 2 spent
    const statuses: number[] = [];
    // An over-limit body the parser would refuse with 413 is never read once the key is over its limit.
    const huge = 'x'.repeat(2 * 1024 * 1024);
    for (let i = 0; i < 3; i++)
      statuses.push((await h.request('POST', '/api/events', { key, raw: JSON.stringify({ type: 'x', customerId: 'c', data: { huge } }) })).status);
    expect(statuses).toEqual([413, 429, 429]);
    const refused = await h.get('/api/me', key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe('1');
    expect(refused.body.message).toMatch(/^Rate limit of 1 requests per second exceeded for this key; retry in \d+ s$/);
  });

  it('limits by the TCP peer address: X-Forwarded-For counts only from a proxy named in CAUCE_TRUST_PROXY', async () => {
    Object.assign(limits.address, { requests: 3, keyLookups: 100 });
    const express = h.app.getHttpAdapter().getInstance();
    try {
      // Default (no trusted proxy): a client cannot pick another address with the header.
      await new Promise((r) => setTimeout(r, 1_100));
      const spoofed = [];
      for (let i = 0; i < 8; i++) spoofed.push((await h.get('/api/health', null, { 'x-forwarded-for': `198.51.100.${i}` })).status);
      expect(spoofed).toContain(429);

      // Behind a trusted proxy on loopback, each forwarded client has its own bucket.
      express.set('trust proxy', ['loopback']);
      await new Promise((r) => setTimeout(r, 1_100));
      const forwarded = [];
      for (let i = 0; i < 8; i++) forwarded.push((await h.get('/api/health', null, { 'x-forwarded-for': `198.51.100.${i}` })).status);
      expect(forwarded.filter((s) => s === 429)).toEqual([]);
    } finally {
      express.set('trust proxy', false);
      Object.assign(limits.address, { requests: 1000 });
    }
  });
});
