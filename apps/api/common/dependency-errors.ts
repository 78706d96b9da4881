import { isTemporalUnavailable } from './temporal-errors';

/** Seconds a client should wait before retrying a request refused because a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_S = 2;

/** Socket-level codes of a server that is not there (restarting, killed, unreachable). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL's SQLSTATEs for "the server is going away or not there yet": class 08 (connection
 * exception), 57P01-57P03 (admin / crash shutdown, cannot connect now) and 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** node-postgres' own messages for a connection that died or never came (they carry no code). */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly)/;

/** True when `err` means PostgreSQL cannot be reached right now, as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || isUnavailableSqlState(code))) return true;
    if (typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message)) return true;
    // Node's AggregateError (several addresses refused), TypeORM's QueryFailedError.driverError, `cause`.
    const inner = (e as { errors?: unknown[] }).errors?.[0] ?? (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
    e = inner;
  }
  return false;
}

/** Which dependency an unexpected error says is down, if any: the API answers 503 for it. */
export function unavailableDependency(err: unknown): 'database' | 'temporal' | undefined {
  if (isTemporalUnavailable(err)) return 'temporal';
  if (isDatabaseUnavailable(err)) return 'database';
  return undefined;
}
