/**
 * Token buckets in memory, one per API key and per API instance: a key gets `rate` requests per
 * second with bursts up to `burst`. With N API instances behind a load balancer, a key can reach
 * N × rate in total; a shared limiter (Redis, the gateway) is the way to a global limit.
 */
export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until a token is available again (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updated: number;
  rate: number;
  burst: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxBuckets = 10_000) {}

  take(key: string, rate: number, burst: number, now: number = performance.now()): TakeResult {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.rate !== rate || bucket.burst !== burst) {
      bucket = { tokens: burst, updated: now, rate, burst };
      if (this.buckets.size >= this.maxBuckets) this.prune(now);
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
      bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  }

  /** Forgets buckets that refilled completely: they behave exactly like new ones. */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.updated) / 1000) * b.rate >= b.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
  }

  get size(): number {
    return this.buckets.size;
  }
}

// The environment's limits are read (and validated at every process start) in libs/config.
export { addressLimits, defaultRateLimit, rateFromEnv, trustProxySetting, type AddressLimits } from '../../../libs/config/request-limits';

/** A bucket holds two seconds of requests (at least 1). */
export const burstFor = (rate: number): number => Math.max(1, Math.ceil(rate * 2));
