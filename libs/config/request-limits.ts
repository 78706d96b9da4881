/**
 * The API's request limits from the environment (CAUCE_RATE_LIMIT, CAUCE_IP_RATE_LIMIT,
 * CAUCE_IP_KEY_LOOKUP_LIMIT, CAUCE_TRUST_PROXY). Read by the API (apps/api/auth), and checked by
 * `loadConfig` in every process, so a bad value stops the launcher at start, naming the variable,
 * instead of making the supervised API exit and restart in a loop.
 */
type Env = Record<string, string | undefined>;

/** Requests per second per key when the key sets none (env CAUCE_RATE_LIMIT, default 50). */
export function defaultRateLimit(env: Env = process.env): number {
  const raw = env.CAUCE_RATE_LIMIT?.trim();
  if (!raw) return 50;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Invalid configuration: CAUCE_RATE_LIMIT must be a positive number of requests per second, got "${raw}"`);
  return n;
}

/** Reads a positive rate (requests per second) from the environment; `off` (or 0) disables the limit: null. */
export function rateFromEnv(env: Env, name: string, fallback: number): number | null {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (raw.toLowerCase() === 'off' || raw === '0') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Invalid configuration: ${name} must be a positive number of requests per second or off, got "${raw}"`);
  return n;
}

/**
 * Limits per client address, applied before authentication (auth/request-gate.ts):
 * - `requests`: every API request (CAUCE_IP_RATE_LIMIT, default 1000/s, bursts of twice that): a
 *   flood from one address cannot take the instance, whatever keys it sends. Generous, because
 *   everything behind one proxy without CAUCE_TRUST_PROXY, and the benchmarks on 127.0.0.1, share it.
 * - `keyLookups`: keys this instance has not cached that the address makes it look up in the
 *   database (CAUCE_IP_KEY_LOOKUP_LIMIT, default 20/s, bursts of 40): a flood of made-up keys
 *   costs at most that many queries, the rest is 429 without a lookup. Known keys are cached
 *   (30 s), so a legitimate client spends one lookup per key and half minute.
 */
export interface AddressLimits {
  requests: number | null;
  keyLookups: number | null;
}

export function addressLimits(env: Env = process.env): AddressLimits {
  return { requests: rateFromEnv(env, 'CAUCE_IP_RATE_LIMIT', 1000), keyLookups: rateFromEnv(env, 'CAUCE_IP_KEY_LOOKUP_LIMIT', 20) };
}

/**
 * Express's `trust proxy` from CAUCE_TRUST_PROXY: unset or `false`, the client address is the TCP
 * peer (X-Forwarded-For is ignored, so a client cannot choose its own address); a number, that
 * many proxies in front; otherwise a comma-separated list of proxy addresses or subnets
 * (`loopback`, `10.0.0.0/8`). `true` trusts any X-Forwarded-For and is refused: it would let every
 * client pick the address it is limited by.
 */
export function trustProxySetting(env: Env = process.env): false | number | string[] {
  const raw = env.CAUCE_TRUST_PROXY?.trim();
  if (!raw || raw.toLowerCase() === 'false' || raw.toLowerCase() === 'off') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw.toLowerCase() === 'true') {
    throw new Error(
      'Invalid configuration: CAUCE_TRUST_PROXY=true would trust any X-Forwarded-For; give the number of proxies in front (1) or their addresses (10.0.0.0/8, loopback)',
    );
  }
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
  const bad = items.find((s) => !valid.test(s));
  if (bad) throw new Error(`Invalid configuration: CAUCE_TRUST_PROXY must be false, a number of proxies or a list of addresses/subnets, got "${bad}"`);
  return items;
}

/** Throws on the first invalid limit variable. */
export function checkRequestLimits(env: Env = process.env): void {
  defaultRateLimit(env);
  addressLimits(env);
  trustProxySetting(env);
}
