import { ApplicationFailure } from '@temporalio/common';
import type { HttpRequestInput, HttpRequestOutput } from '../../contracts/activities';
import { activityCancellationSignal, errorMessage, invalidInput } from '../errors';
import { HttpTimeoutError, ResponseTooLargeError, safeRequest, TooManyRedirectsError } from './safe-request';
import { SecretResolver, secretNotAvailableMessage, secretUsable } from './secrets';
import { BlockedUrlError } from './url-safety';

export interface HttpDeps {
  secrets: SecretResolver;
  /** Allow loopback and private-network URLs (tests, on-premise integrations). Default false. */
  allowPrivateNetworks?: boolean;
  /** Response size cap in bytes (default 1 MiB); larger responses are aborted. */
  maxResponseBytes?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const MAX_HTTP_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers the activity computes itself. */
const MANAGED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);
const MAX_RETRY_AFTER_S = 60;

/**
 * The `http` node's activity.
 *
 * - 2xx: `{ ok: true, status, headers, body }`, the body parsed as JSON when the content type says JSON.
 * - 4xx (except 408 and 429): `{ ok: false, status, ..., error }`: the node takes `error` at once.
 * - 5xx, 408, 429, timeouts and connection failures: a retryable failure (429's Retry-After, up to
 *   60 s, sets the next retry's delay); after the last retry the node takes `error`.
 * - A refused URL (see url-safety.ts), a secret not available for the URL's host, an invalid method
 *   or header, too many redirects or a response over the size cap: a non-retryable failure.
 *
 * Secret headers are resolved here, only when the secret's allowedHosts (and flowIds) admit the
 * URL's host (and the run's flow), never returned, dropped on a redirect to another origin
 * (safe-request.ts), and masked as `[secret]` wherever their value shows up in the response. Errors name the method, origin and path, never the
 * query string or any header.
 */
export function createHttpActivities(deps: HttpDeps) {
  const maxResponseBytes = deps.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return {
    async httpRequest(input: HttpRequestInput): Promise<HttpRequestOutput> {
      const method = String(input.method ?? '').toUpperCase();
      if (!METHODS.has(method)) throw invalidInput(`httpRequest: unsupported method ${JSON.stringify(input.method)}`);
      let url: URL;
      try {
        url = new URL(String(input.url ?? '').trim());
      } catch {
        throw invalidInput('httpRequest: the URL is not a valid absolute URL');
      }
      const where = `${method} ${url.origin}${url.pathname}`;

      const headers: Record<string, string> = { 'user-agent': 'Cauce/0.1 (+http activity)', accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
      for (const [name, value] of Object.entries(input.headers ?? {})) setHeader(headers, name, value);
      const secretValues: string[] = [];
      for (const [name, secretName] of Object.entries(input.secretHeaders ?? {})) {
        // Only a secret whose admin allowed this host (and this flow) is sent; a missing one and a
        // refused one fail alike, so a flow author cannot probe which secrets exist.
        const secret = await deps.secrets.getScoped(secretName);
        if (!secret || !secretUsable(secret.scope, url, input.ctx?.flowId)) {
          throw ApplicationFailure.nonRetryable(`httpRequest: ${secretNotAvailableMessage(secretName, url.host)}`, 'SecretNotAvailable');
        }
        setHeader(headers, name, secret.value, true);
        secretValues.push(secret.value);
      }
      const body = input.body === undefined || input.body === null ? undefined : String(input.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
      }
      const timeoutMs = clampTimeout(input.timeoutMs);

      let response;
      try {
        response = await safeRequest({
          method,
          url: url.toString(),
          headers,
          body,
          timeoutMs,
          maxResponseBytes,
          allowPrivateNetworks: deps.allowPrivateNetworks,
          sensitiveHeaders: Object.keys(input.secretHeaders ?? {}),
          signal: activityCancellationSignal(),
        });
      } catch (err) {
        throw toFailure(err, where, timeoutMs, secretValues);
      }

      const mask = (text: string) => redact(text, secretValues);
      const responseHeaders = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, mask(v)]));
      const text = mask(response.body.toString('utf8'));
      const status = response.status;

      if (status >= 500 || status === 408 || status === 429) {
        const retryAfter = status === 429 ? retryAfterSeconds(response.headers['retry-after']) : undefined;
        throw ApplicationFailure.create({
          message: `${where} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`,
          type: 'HttpServerError',
          nonRetryable: false,
          details: [{ status }],
          ...(retryAfter !== undefined ? { nextRetryDelay: `${retryAfter}s` as const } : {}),
        });
      }
      const parsed = method === 'HEAD' ? null : parseBody(text, response.headers['content-type']);
      const ok = status >= 200 && status < 300;
      return {
        ok,
        status,
        headers: responseHeaders,
        body: parsed,
        ...(ok ? {} : { error: `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}` }),
      };
    },
  };
}

function setHeader(headers: Record<string, string>, name: string, value: unknown, secret = false): void {
  if (!HEADER_NAME.test(name)) throw invalidInput(`httpRequest: invalid header name ${JSON.stringify(name)}`);
  if (MANAGED_HEADERS.has(name.toLowerCase())) return;
  const text = String(value ?? '');
  if (/[\r\n\0]/.test(text)) {
    throw invalidInput(
      secret ? `httpRequest: the secret for header ${name} contains a line break` : `httpRequest: the value of header ${name} contains a line break`,
    );
  }
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = text;
}

function clampTimeout(value: number | undefined): number {
  if (value === undefined || value === null || !Number.isFinite(value) || value <= 0) return DEFAULT_HTTP_TIMEOUT_MS;
  return Math.min(Math.max(Math.round(value), 1), MAX_HTTP_TIMEOUT_MS);
}

function looksLikeJson(body: string): boolean {
  const t = body.trim();
  if (!/^[[{]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  if (contentType && /\bjson\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function retryAfterSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_S);
}

/** Replaces every occurrence of a secret value (4+ characters) with "[secret]". */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret]');
  return out;
}

function toFailure(err: unknown, where: string, timeoutMs: number, secrets: string[]): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof BlockedUrlError) return ApplicationFailure.nonRetryable(`${where} refused: ${err.message}`, 'HttpUrlRefused');
  if (err instanceof HttpTimeoutError) return ApplicationFailure.retryable(`${where} timed out after ${timeoutMs} ms`, 'HttpTimeout');
  if (err instanceof ResponseTooLargeError) return ApplicationFailure.nonRetryable(`${where}: ${err.message}`, 'HttpResponseTooLarge');
  if (err instanceof TooManyRedirectsError) return ApplicationFailure.nonRetryable(`${where}: ${err.message}`, 'HttpTooManyRedirects');
  const code = (err as { code?: string }).code;
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN' || code === 'ERR_HTTP_INVALID_HEADER_VALUE') {
    return ApplicationFailure.nonRetryable(`${where}: invalid request (${code})`, 'InvalidInput');
  }
  if ((err as Error)?.name === 'AbortError') return ApplicationFailure.retryable(`${where} was cancelled`, 'HttpCancelled');
  // DNS failures, refused or reset connections, TLS errors: the far side may be back on the next try.
  return ApplicationFailure.retryable(`${where} failed: ${redact(errorMessage(err), secrets)}${code ? ` (${code})` : ''}`, 'HttpConnectionError');
}

export type HttpActivities = ReturnType<typeof createHttpActivities>;
