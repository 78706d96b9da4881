import { addressLimits, burstFor, defaultRateLimit, TokenBucketLimiter, trustProxySetting } from './rate-limiter';

describe('TokenBucketLimiter', () => {
  it('allows a burst, refuses the next request, then refills at the rate', () => {
    const limiter = new TokenBucketLimiter();
    const t0 = 1000;
    for (let i = 0; i < 4; i++) expect(limiter.take('k', 2, 4, t0).allowed).toBe(true);
    const refused = limiter.take('k', 2, 4, t0);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.take('k', 2, 4, t0 + 499).allowed).toBe(false);
    expect(limiter.take('k', 2, 4, t0 + 1000).allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter();
    expect(limiter.take('a', 1, 1, 0).allowed).toBe(true);
    expect(limiter.take('a', 1, 1, 0).allowed).toBe(false);
    expect(limiter.take('b', 1, 1, 0).allowed).toBe(true);
  });

  it('never holds more than the burst, and a new limit starts a fresh bucket', () => {
    const limiter = new TokenBucketLimiter();
    limiter.take('k', 1, 2, 0);
    expect(limiter.take('k', 1, 2, 1_000_000).remaining).toBe(1);
    expect(limiter.take('k', 10, 20, 1_000_000).remaining).toBe(19);
  });

  it('prunes full buckets when it reaches its size', () => {
    const limiter = new TokenBucketLimiter(3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) limiter.take(k, 100, 100, 0);
    expect(limiter.size).toBeLessThanOrEqual(3);
  });

  it('reads the default rate from CAUCE_RATE_LIMIT', () => {
    expect(defaultRateLimit({})).toBe(50);
    expect(defaultRateLimit({ CAUCE_RATE_LIMIT: '7' })).toBe(7);
    expect(() => defaultRateLimit({ CAUCE_RATE_LIMIT: 'lots' })).toThrow('CAUCE_RATE_LIMIT');
    expect(burstFor(0.2)).toBe(1);
    expect(burstFor(50)).toBe(100);
  });
});

describe('address limits and trust proxy', () => {
  it('reads the per-address limits, with generous defaults and off', () => {
    expect(addressLimits({})).toEqual({ requests: 1000, keyLookups: 20 });
    expect(addressLimits({ CAUCE_IP_RATE_LIMIT: '300', CAUCE_IP_KEY_LOOKUP_LIMIT: 'off' })).toEqual({ requests: 300, keyLookups: null });
    expect(() => addressLimits({ CAUCE_IP_RATE_LIMIT: '-1' })).toThrow('CAUCE_IP_RATE_LIMIT must be a positive number of requests per second or off, got "-1"');
    expect(() => addressLimits({ CAUCE_IP_KEY_LOOKUP_LIMIT: 'many' })).toThrow('CAUCE_IP_KEY_LOOKUP_LIMIT');
  });

  it('trusts no proxy by default, a number of hops or a list of addresses, and refuses "true"', () => {
    expect(trustProxySetting({})).toBe(false);
    expect(trustProxySetting({ CAUCE_TRUST_PROXY: 'false' })).toBe(false);
    expect(trustProxySetting({ CAUCE_TRUST_PROXY: '1' })).toBe(1);
    expect(trustProxySetting({ CAUCE_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' })).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => trustProxySetting({ CAUCE_TRUST_PROXY: 'true' })).toThrow('CAUCE_TRUST_PROXY=true would trust any X-Forwarded-For');
    expect(() => trustProxySetting({ CAUCE_TRUST_PROXY: 'proxy.example.com' })).toThrow(
      'CAUCE_TRUST_PROXY must be false, a number of proxies or a list of addresses/subnets, got "proxy.example.com"',
    );
  });
});
