import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Response } from 'express';
import type { RequestWithActor } from './actor';
import { ApiKeysService } from './api-keys.service';
import { presentedKey } from './auth.guard';
import { trustProxySetting } from './rate-limiter';
import { RequestLimits } from './request-limits';

/**
 * The cheap first door of every API request, before the body is read, a route is matched or a
 * key is looked up in the database, so that a flood costs as little as possible of the event loop
 * the other clients share:
 * 1. the client address's request limit (CAUCE_IP_RATE_LIMIT);
 * 2. a key this instance has cached: its own rate limit (a flooding key gets its 429 here);
 * 3. a key it has never found valid: one database lookup charged to the address
 *    (CAUCE_IP_KEY_LOOKUP_LIMIT), so made-up keys cost at most that many queries per second and
 *    address (a known key whose cache entry expired is looked up again free of charge).
 * Everything else (unknown keys already cached, missing keys, roles, public routes) is the auth
 * guard's, after routing, as before.
 */
export function requestGate(limits: RequestLimits, keys: ApiKeysService, prefix: string) {
  return (req: RequestWithActor, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(`/${prefix}/`) && req.path !== `/${prefix}`) return next();
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const refused = limits.takeAddress(ip, res) ?? gateKey(req, res, ip, limits, keys);
    if (!refused) return next();
    // Written directly (no Express send: no ETag, no content-type parsing); Node discards the unread
    // body, and the keep-alive connection stays usable.
    const body = JSON.stringify({ statusCode: refused.status, error: 'Too Many Requests', message: refused.message });
    res.statusCode = refused.status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  };
}

function gateKey(req: RequestWithActor, res: Response, ip: string, limits: RequestLimits, keys: ApiKeysService) {
  const key = presentedKey(req);
  if (!key) return null;
  const known = keys.peek(key);
  if (known) {
    req.gate = { actor: known };
    return limits.takeKey(known, res);
  }
  if (known === null || keys.knewOf(key)) return null;
  req.gate = { lookupCharged: true };
  return limits.takeKeyLookup(ip, res);
}

/** Sets Express's `trust proxy` (CAUCE_TRUST_PROXY) and puts the gate in front of the body parser. */
export function installRequestGate(app: INestApplication, prefix: string): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', trustProxySetting());
  express.use(requestGate(app.get(RequestLimits), app.get(ApiKeysService), prefix));
}
