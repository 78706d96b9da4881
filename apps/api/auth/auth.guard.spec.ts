import { ExecutionContext, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MetricsService } from '../metrics/metrics.service';
import type { Actor } from './actor';
import type { ApiKeysService } from './api-keys.service';
import { AuthGuard, presentedKey } from './auth.guard';
import { RequestLimits } from './request-limits';
import { PUBLIC_KEY, Role, ROLES_KEY } from './roles';

const actor = (role: Role, rateLimit = 100): Actor => ({ id: `id-${role}`, name: role, role, flowIds: null, rateLimit });

function context(meta: { roles?: Role[]; public?: boolean }, headers: Record<string, string>, extra: Record<string, unknown> = {}) {
  const handler = () => undefined;
  if (meta.roles) Reflect.defineMetadata(ROLES_KEY, meta.roles, handler);
  if (meta.public) Reflect.defineMetadata(PUBLIC_KEY, true, handler);
  const req: Record<string, unknown> = { headers, method: 'GET', path: '/api/x', route: { path: '/api/x' }, ip: '203.0.113.7', ...extra };
  const res = {
    headers: {} as Record<string, string>,
    setHeader(k: string, v: string) {
      this.headers[k] = v;
    },
  };
  const ctx = {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, req, res };
}

/** A key service whose database is `keys`: nothing is cached, every authenticate() is a lookup, counted. */
function guard(keys: Record<string, Actor>, address: Partial<RequestLimits['address']> = {}) {
  const lookups = { n: 0 };
  const service = {
    peek: () => undefined,
    knewOf: () => false,
    authenticate: async (k: string) => {
      lookups.n++;
      return keys[k] ?? null;
    },
  } as unknown as ApiKeysService;
  const limits = new RequestLimits(new MetricsService());
  Object.assign(limits.address, address);
  return Object.assign(new AuthGuard(new Reflector(), service, limits), { lookups });
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

  it('charges lookups of keys it does not know to the client address: a flood of made-up keys is refused without a lookup', async () => {
    const g2 = guard({ sys: actor('system') }, { keyLookups: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const c = context({ roles: ['system'] }, { authorization: `Bearer made-up-${i}` });
      const err = await g2.canActivate(c.ctx).catch((e: HttpException) => e);
      statuses.push((err as HttpException).getStatus());
    }
    // A burst of twice the rate (4) reaches the database; the rest is 429 with Retry-After, no query.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
    expect(g2.lookups.n).toBe(4);
    const refused = context({ roles: ['system'] }, { authorization: 'Bearer made-up-x' });
    await expect(g2.canActivate(refused.ctx)).rejects.toThrow('Too many unknown API keys from this client address (at most 2 per second)');
    expect(refused.res.headers['Retry-After']).toBe('1');
    // Another address still gets its lookups.
    await expect(g2.canActivate(context({ roles: ['system'] }, { authorization: 'Bearer sys' }, { ip: '198.51.100.1' }).ctx)).resolves.toBe(true);
  });

  it('takes the key the request gate already admitted without looking it up or charging it again', async () => {
    const g2 = guard({});
    const admitted = actor('system', 1);
    for (let i = 0; i < 5; i++) {
      const c = context({ roles: ['system'] }, { authorization: 'Bearer sys' }, { gate: { actor: admitted } });
      expect(await g2.canActivate(c.ctx)).toBe(true);
      expect(c.req.actor).toBe(admitted);
    }
    expect(g2.lookups.n).toBe(0);
    // The role is still checked.
    const editorRoute = context({ roles: ['editor'] }, { authorization: 'Bearer sys' }, { gate: { actor: admitted } });
    await expect(g2.canActivate(editorRoute.ctx)).rejects.toBeInstanceOf(ForbiddenException);
  });
});
