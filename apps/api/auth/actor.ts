import { createParamDecorator, ExecutionContext, ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { describeRoles, Role } from './roles';

/** Who calls: the API key behind the request. */
export interface Actor {
  /** The key's id, or `admin` for CAUCE_ADMIN_KEY. */
  id: string;
  name: string;
  role: Role;
  /** Flows the key is limited to; null: every flow. */
  flowIds: string[] | null;
  /** Requests per second allowed (token bucket refill rate). */
  rateLimit: number;
}

/** What the request gate (auth/request-gate.ts) settled before the body was read, so the guard does not do it twice. */
export interface GateNote {
  /** The key's actor, known from the cache and already charged to the key's rate limit. */
  actor?: Actor;
  /** A lookup of the presented key was already charged to the client address. */
  lookupCharged?: boolean;
}

export type RequestWithActor = Request & { actor?: Actor; gate?: GateNote };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.role === 'admin' || roles.includes(actor.role);
}

/** 403 naming the role the action needs. */
export function requireRole(actor: Actor, roles: Role[], what: string): void {
  if (!hasRole(actor, ...roles)) {
    throw new ForbiddenException(`${what} requires ${describeRoles(roles)}; this key has the role ${actor.role}`);
  }
}

export function canSeeFlow(actor: Actor, flowId: string | undefined | null): boolean {
  if (actor.flowIds === null) return true;
  return !!flowId && actor.flowIds.includes(flowId);
}

/** A flow outside the key's scope is reported as missing, so ids cannot be probed. */
export function requireFlowScope(actor: Actor, flowId: string, notFound: string): void {
  if (!canSeeFlow(actor, flowId)) throw new NotFoundException(notFound);
}
