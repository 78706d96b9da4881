import { CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { MetricsService } from '../metrics/metrics.service';
import type { RequestWithActor } from './actor';
import { ApiKeysService } from './api-keys.service';
import { burstFor, TokenBucketLimiter } from './rate-limiter';
import { describeRoles, PUBLIC_KEY, Role, ROLES_KEY } from './roles';

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/**
 * The global guard: every route needs a valid key (except `@Public()` ones), within its rate
 * limit, whose role the route allows (`@Roles(...)`; admin always; no decorator: admin only).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter = new TokenBucketLimiter();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<RequestWithActor>();
    const res = context.switchToHttp().getResponse<Response>();

    const key = presentedKey(req);
    if (!key) throw new UnauthorizedException('Missing API key: send it as "Authorization: Bearer <key>"');
    const actor = await this.keys.authenticate(key);
    if (!actor) throw new UnauthorizedException('Unknown or revoked API key');

    const bucket = this.limiter.take(actor.id, actor.rateLimit, burstFor(actor.rateLimit));
    res.setHeader('RateLimit-Limit', String(actor.rateLimit));
    res.setHeader('RateLimit-Remaining', String(bucket.remaining));
    if (!bucket.allowed) {
      this.metrics.rateLimited.inc();
      res.setHeader('Retry-After', String(bucket.retryAfterSeconds));
      throw new HttpException(
        { message: `Rate limit of ${actor.rateLimit} requests per second exceeded for this key; retry in ${bucket.retryAfterSeconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (actor.role !== 'admin' && !roles.includes(actor.role)) {
      throw new ForbiddenException(`${req.method} ${req.route?.path ?? req.path} requires ${describeRoles(roles)}; this key has the role ${actor.role}`);
    }
    req.actor = actor;
    return true;
  }
}
