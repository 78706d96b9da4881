import { ExecutionContext, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MetricsService } from '../metrics/metrics.service';
import type { Actor } from './actor';
import type { ApiKeysService } from './api-keys.service';
import { AuthGuard, presentedKey } from './auth.guard';
import { PUBLIC_KEY, Role, ROLES_KEY } from './roles';

const actor = (role: Role, rateLimit = 100): Actor => ({ id: `id-${role}`, name: role, role, flowIds: null, rateLimit });

function context(meta: { roles?: Role[]; public?: boolean }, headers: Record<string, string>) {
  const handler = () => undefined;
  if (meta.roles) Reflect.defineMetadata(ROLES_KEY, meta.roles, handler);
  if (meta.public) Reflect.defineMetadata(PUBLIC_KEY, true, handler);
  const req: Record<string, unknown> = { headers, method: 'GET', path: '/api/x', route: { path: '/api/x' } };
  const res = { headers: {} as Record<string, string>, setHeader(k: string, v: string) { this.headers[k] = v; } };
  const ctx = {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, req, res };
}

function guard(keys: Record<string, Actor>) {
  const service = { authenticate: async (k: string) => keys[k] ?? null } as unknown as ApiKeysService;
  return new AuthGuard(new Reflector(), service, new MetricsService());
}

describe('AuthGuard', () => {
  const g = guard({ ed: actor('editor'), sys: actor('system', 1), adm: actor('admin') });

  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(presentedKey({ headers: { authorization: 'Bearer abc' } })).toBe('abc');
    expect(presentedKey({ headers: { authorization: 'bearer   abc  ' } })).toBe('abc');
    expect(presentedKey({ headers: { 'x-api-key': 'xyz' } })).toBe('xyz');
    expect(presentedKey({ headers: { authorization: 'Basic abc' } })).toBeUndefined();
  });

  it('lets public routes through without a key', async () => {
    expect(await g.canActivate(context({ public: true }, {}).ctx)).toBe(true);
  });

  it('refuses a missing or unknown key with 401', async () => {
    await expect(g.canActivate(context({ roles: ['editor'] }, {}).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(g.canActivate(context({ roles: ['editor'] }, { authorization: 'Bearer nope' }).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('allows the roles of the route and admin, refuses others naming the role, and is admin-only without @Roles', async () => {
    const ok = context({ roles: ['editor'] }, { authorization: 'Bearer ed' });
    expect(await g.canActivate(ok.ctx)).toBe(true);
    expect((ok.req.actor as Actor).role).toBe('editor');
    expect(await g.canActivate(context({ roles: ['editor'] }, { authorization: 'Bearer adm' }).ctx)).toBe(true);
    const refused = g.canActivate(context({ roles: ['editor'] }, { authorization: 'Bearer sys' }).ctx);
    await expect(refused).rejects.toBeInstanceOf(ForbiddenException);
    await expect(refused).rejects.toThrow('GET /api/x requires one of the roles editor, admin; this key has the role system');
    await expect(g.canActivate(context({}, { authorization: 'Bearer ed' }).ctx)).rejects.toThrow('requires the admin role');
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const g2 = guard({ sys: actor('system', 1) });
    const call = () => context({ roles: ['system'] }, { authorization: 'Bearer sys' });
    expect(await g2.canActivate(call().ctx)).toBe(true);
    expect(await g2.canActivate(call().ctx)).toBe(true);
    const third = call();
    const err = await g2.canActivate(third.ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpException);
    expect((err as HttpException).getStatus()).toBe(429);
    expect(third.res.headers['Retry-After']).toBe('1');
  });
});
