import { burstFor, defaultRateLimit, TokenBucketLimiter } from './rate-limiter';

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
