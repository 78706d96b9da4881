import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Seconds a client should wait before retrying on a 503 while this instance stops. */
export const STOPPING_RETRY_AFTER_S = 5;

/**
 * The API's graceful stop. Once draining, health answers 503 (a load balancer takes the instance out),
 * every new request is refused with 503 and `Retry-After`, and the requests already in flight, chat
 * turns included, run to their end before the server and its connections close.
 */
@Injectable()
export class ShutdownState {
  private isDraining = false;
  private readonly inFlight = new Set<Response>();
  private idleWaiters: (() => void)[] = [];

  get draining(): boolean {
    return this.isDraining;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Express middleware, registered first: counts requests in flight and refuses new ones while draining. */
  middleware(healthPath: string): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if (this.isDraining) {
        // Keep-alive clients must reconnect, to another instance or to this one once it is back.
        res.setHeader('Connection', 'close');
        // Health still answers, with 503, so whoever watches it sees the instance leave.
        if (req.path === healthPath) return next();
        res.setHeader('Retry-After', String(STOPPING_RETRY_AFTER_S));
        res.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: 'The API is stopping; retry in a moment' });
        return;
      }
      this.inFlight.add(res);
      // 'close' fires once per response, whether it finished or the client went away.
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
      next();
    };
  }

  /**
   * Starts refusing new requests and waits for those in flight, at most `timeoutMs`.
   * Resolves with how many were still running when it gave up (0 when all finished).
   */
  async drain(timeoutMs: number): Promise<number> {
    this.isDraining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    if (this.inFlight.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.inFlight.size;
  }
}
