import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { RequestWithActor } from './actor';
import { ApiKeysService } from './api-keys.service';
import { refusalException, RequestLimits } from './request-limits';
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
 * The request gate (request-gate.ts) has already charged the client address, and, for a key this
 * instance had cached, the key's limit too (`req.gate`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limits: RequestLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<RequestWithActor>();
    const res = context.switchToHttp().getResponse<Response>();

    const key = presentedKey(req);
    if (!key) throw new UnauthorizedException('Missing API key: send it as "Authorization: Bearer <key>"');
    let actor = req.gate?.actor;
    if (!actor) {
      // A key only the database knows costs the client address one lookup (unless the gate charged it).
      if (!req.gate?.lookupCharged && this.keys.peek(key) === undefined && !this.keys.knewOf(key)) {
        const refused = this.limits.takeKeyLookup(req.ip ?? req.socket?.remoteAddress ?? 'unknown', res);
        if (refused) throw refusalException(refused);
      }
      const found = await this.keys.authenticate(key);
      if (!found) throw new UnauthorizedException('Unknown or revoked API key');
      const refused = this.limits.takeKey(found, res);
      if (refused) throw refusalException(refused);
      actor = found;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (actor.role !== 'admin' && !roles.includes(actor.role)) {
      throw new ForbiddenException(`${req.method} ${req.route?.path ?? req.path} requires ${describeRoles(roles)}; this key has the role ${actor.role}`);
    }
    req.actor = actor;
    return true;
  }
}
