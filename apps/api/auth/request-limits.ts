import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsService } from '../metrics/metrics.service';
import type { Actor } from './actor';
import { AddressLimits, addressLimits, burstFor, TakeResult, TokenBucketLimiter } from './rate-limiter';

type HeaderSink = Pick<Response, 'setHeader'>;

/**
 * A 429 to send. A plain object, not an HttpException: the gate refuses floods, and capturing a
 * stack trace per refused request was the largest cost of a refusal (profiled: ~75 µs of ~0.6 ms).
 */
export interface Refusal {
  status: 429;
  message: string;
  retryAfterSeconds: number;
}

/** The guard's form of a refusal: thrown, so the exception filter writes it. */
export function refusalException(r: Refusal): HttpException {
  return new HttpException({ message: r.message }, HttpStatus.TOO_MANY_REQUESTS);
}

/**
 * Every rate limit of one API instance, shared by the request gate (before the body is read) and
 * the auth guard (after a key lookup): per client address, per address for key lookups, per key.
 */
@Injectable()
export class RequestLimits {
  private readonly perKey = new TokenBucketLimiter();
  private readonly perAddress = new TokenBucketLimiter();
  private readonly lookupsPerAddress = new TokenBucketLimiter();

  /** Read once from the environment (CAUCE_IP_RATE_LIMIT, CAUCE_IP_KEY_LOOKUP_LIMIT). */
  readonly address: AddressLimits = addressLimits();

  constructor(private readonly metrics: MetricsService) {}

  /**
   * Each `take*` charges one token and answers null when allowed (or the limit is off), else the
   * refusal to send, with Retry-After already set on `res`.
   */
  takeAddress(ip: string, res: HeaderSink): Refusal | null {
    const rate = this.address.requests;
    if (rate === null) return null;
    const bucket = this.perAddress.take(ip, rate, burstFor(rate));
    return bucket.allowed ? null : this.refuse(bucket, res, `Rate limit of ${rate} requests per second exceeded for this client address`);
  }

  /** One database lookup of a key this instance does not know, charged to the client address. */
  takeKeyLookup(ip: string, res: HeaderSink): Refusal | null {
    const rate = this.address.keyLookups;
    if (rate === null) return null;
    const bucket = this.lookupsPerAddress.take(ip, rate, burstFor(rate));
    return bucket.allowed ? null : this.refuse(bucket, res, `Too many unknown API keys from this client address (at most ${rate} per second)`);
  }

  /** One request of a key, with the RateLimit-Limit and RateLimit-Remaining headers. */
  takeKey(actor: Actor, res: HeaderSink): Refusal | null {
    const bucket = this.perKey.take(actor.id, actor.rateLimit, burstFor(actor.rateLimit));
    res.setHeader('RateLimit-Limit', String(actor.rateLimit));
    res.setHeader('RateLimit-Remaining', String(bucket.remaining));
    return bucket.allowed ? null : this.refuse(bucket, res, `Rate limit of ${actor.rateLimit} requests per second exceeded for this key`);
  }

  private refuse(bucket: TakeResult, res: HeaderSink, what: string): Refusal {
    this.metrics.rateLimited.inc();
    res.setHeader('Retry-After', String(bucket.retryAfterSeconds));
    return { status: HttpStatus.TOO_MANY_REQUESTS, message: `${what}; retry in ${bucket.retryAfterSeconds} s`, retryAfterSeconds: bucket.retryAfterSeconds };
  }
}
