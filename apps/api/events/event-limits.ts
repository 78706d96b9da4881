import { applyDecorators, CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, PayloadTooLargeException, UseGuards } from '@nestjs/common';
import { ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TokenBucketLimiter } from '../auth/rate-limiter';
import { ApiErrorDto } from '../common/api-error.dto';

/**
 * Limits on business and agent events sent in (`POST /events`, `POST /runs/:runId/business-events`
 * and its old name `POST /runs/:runId/events`, which share one budget per run). Run events, what a
 * run records, are not limited here: they are read, never sent.
 *
 * Every event becomes a signal in the run's Temporal history and waits in the run's buffer (up to
 * 100 events, carried over continue-as-new). Unbounded, 50 events of 1 MB pushed a run past
 * Temporal's 50 MB history limit and Temporal terminated it. So:
 * - `data` may take at most MAX_EVENT_DATA_BYTES as JSON (413 naming `data`): the 100 events a run
 *   keeps then fit in Temporal's 2 MB payload limit when it continues as new;
 * - a run (`POST /runs/:runId/business-events`) and a customer (`POST /events`, which reaches all of the
 *   customer's open runs) take at most EVENTS_PER_MINUTE events a minute, in bursts of as many
 *   (429 with Retry-After).
 * The rate is counted in memory per API instance (like the per-key limit, auth/rate-limiter.ts):
 * with N instances a run can take N times as many.
 */
export const MAX_EVENT_DATA_BYTES = 16 * 1024;
export const EVENTS_PER_MINUTE = 60;
/** Run and customer buckets kept per instance; idle full ones are forgotten first. */
const MAX_BUCKETS = 50_000;

@Injectable()
export class EventLimitsGuard implements CanActivate {
  private readonly limiter = new TokenBucketLimiter(MAX_BUCKETS);

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const body = (req.body ?? {}) as { data?: unknown; customerId?: unknown };

    // Checked before the rate: a refused event does not use up the run's budget.
    if (body.data !== undefined) {
      const bytes = Buffer.byteLength(JSON.stringify(body.data) ?? '', 'utf8');
      if (bytes > MAX_EVENT_DATA_BYTES) {
        throw new PayloadTooLargeException({
          message: `data is ${bytes} bytes as JSON; an event's data may have at most ${MAX_EVENT_DATA_BYTES} bytes`,
          details: { field: 'data', bytes, limit: MAX_EVENT_DATA_BYTES },
        });
      }
    }

    const runId = typeof req.params?.runId === 'string' ? req.params.runId : undefined;
    const subject = runId ? `run:${runId}` : typeof body.customerId === 'string' ? `customer:${body.customerId}` : undefined;
    if (!subject) return true; // a POST /events without customerId: the DTO refuses it next
    const bucket = this.limiter.take(subject, EVENTS_PER_MINUTE / 60, EVENTS_PER_MINUTE);
    if (!bucket.allowed) {
      res.setHeader('Retry-After', String(bucket.retryAfterSeconds));
      const who = runId ? `run ${runId}` : `customer ${body.customerId as string}`;
      throw new HttpException(
        {
          message: `Event rate limit of ${EVENTS_PER_MINUTE} events a minute exceeded for ${who}; retry in ${bucket.retryAfterSeconds} s`,
          details: runId ? { runId, limitPerMinute: EVENTS_PER_MINUTE } : { customerId: body.customerId, limitPerMinute: EVENTS_PER_MINUTE },
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }
}

/** The event routes' limits, with their 413 in the OpenAPI document. */
export function EventLimits(): MethodDecorator {
  return applyDecorators(
    UseGuards(EventLimitsGuard),
    ApiPayloadTooLargeResponse({
      description: `The event's data is larger than ${MAX_EVENT_DATA_BYTES} bytes as JSON (details.field: data)`,
      type: ApiErrorDto,
    }),
  );
}
