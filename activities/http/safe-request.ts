import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { BlockedUrlError, checkUrlSync, guardedLookup, UrlPolicy } from './url-safety';

/**
 * One outbound HTTP exchange with the guards every activity needs: the URL policy (checked before
 * connecting and again on every resolved address and every redirect), one deadline over the whole
 * exchange, a cap on the (decompressed) response size, and redirects followed by hand (at most
 * `maxRedirects`, credentials dropped when the origin changes). Built on node:http rather than
 * fetch so the socket's DNS lookup can be guarded.
 */
export interface SafeRequestOptions extends UrlPolicy {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Default 5; 0 returns 3xx responses as they are. */
  maxRedirects?: number;
  /** Header names (any case) removed when a redirect leaves the original origin. */
  sensitiveHeaders?: string[];
  /** Aborts the request (e.g. the activity's cancellation signal). */
  signal?: AbortSignal;
}

export interface SafeResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export class HttpTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export class TooManyRedirectsError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} redirects`);
    this.name = 'TooManyRedirectsError';
  }
}

// One keep-alive agent per policy, so a socket opened under a permissive policy is never reused
// by a request under the strict one.
const agents = new Map<string, { http: http.Agent; https: https.Agent }>();
function agentsFor(policy: UrlPolicy) {
  const key = policy.allowPrivateNetworks ? 'private' : 'public';
  let pair = agents.get(key);
  if (!pair) {
    const lookup = guardedLookup(policy) as unknown as http.AgentOptions['lookup'];
    pair = {
      http: new http.Agent({ keepAlive: true, maxSockets: 50, lookup } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets: 50, lookup } as https.AgentOptions),
    };
    agents.set(key, pair);
  }
  return pair;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];

export async function safeRequest(options: SafeRequestOptions): Promise<SafeResponse> {
  const policy: UrlPolicy = { allowPrivateNetworks: options.allowPrivateNetworks };
  const maxRedirects = options.maxRedirects ?? 5;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new HttpTimeoutError(options.timeoutMs)), options.timeoutMs);
  const onOuterAbort = () => deadline.abort(options.signal?.reason ?? new Error('request cancelled'));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    let url = new URL(options.url);
    let method = options.method.toUpperCase();
    let body = options.body;
    let headers = { ...(options.headers ?? {}) };
    const origin = url.origin;
    const sensitive = new Set([...ALWAYS_SENSITIVE, ...(options.sensitiveHeaders ?? []).map((h) => h.toLowerCase())]);
    for (let hop = 0; ; hop++) {
      checkUrlSync(url, policy);
      const response = await exchange(url, method, headers, body, options.maxResponseBytes, deadline.signal, policy);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location || maxRedirects === 0) return { ...response, url: url.toString() };
      if (hop >= maxRedirects) throw new TooManyRedirectsError(maxRedirects);
      const next = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-/i.test(k)));
      }
      if (next.origin !== origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !sensitive.has(k.toLowerCase())));
      url = next;
    }
  } catch (err) {
    // An abort surfaces as the reason given to abort() where possible.
    if (deadline.signal.aborted && deadline.signal.reason instanceof Error && !(err instanceof BlockedUrlError)) throw deadline.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  maxBytes: number,
  signal: AbortSignal,
  policy: UrlPolicy,
): Promise<Omit<SafeResponse, 'url'>> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    const agent = isHttps ? agentsFor(policy).https : agentsFor(policy).http;
    // GET and HEAD never carry a body.
    const payload = body === undefined || method === 'GET' || method === 'HEAD' ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const requestHeaders: Record<string, string> = { ...headers };
    if (payload) requestHeaders['content-length'] = String(payload.length);
    let req: http.ClientRequest;
    try {
      const lookup = guardedLookup(policy) as unknown as http.RequestOptions['lookup'];
      req = (isHttps ? https : http).request(url, { method, headers: requestHeaders, agent, signal, lookup });
    } catch (err) {
      reject(err);
      return;
    }
    req.on('error', (err) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : err));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes && !res.headers['content-encoding']) {
        res.destroy();
        req.destroy();
        reject(new ResponseTooLargeError(maxBytes));
        return;
      }
      let stream: Readable = res;
      const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(zlib.createGunzip());
      else if (encoding === 'deflate') stream = res.pipe(zlib.createInflate());
      else if (encoding === 'br') stream = res.pipe(zlib.createBrotliDecompress());
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const fail = (err: Error) => {
        if (done) return;
        done = true;
        res.destroy();
        req.destroy();
        reject(signal.aborted && signal.reason instanceof Error ? signal.reason : err);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new ResponseTooLargeError(maxBytes));
        else chunks.push(chunk);
      });
      stream.on('error', fail);
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the connection closed before the response was complete')));
      stream.on('end', () => {
        if (done) return;
        done = true;
        resolve({ status, statusText: res.statusMessage ?? '', headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) });
      });
    });
    if (payload) req.end(payload);
    else req.end();
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
