import { HttpException, ServiceUnavailableException } from '@nestjs/common';

/** gRPC codes Temporal answers with when it is down or slow. */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

export function isTemporalUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const cause = (err as { cause?: { code?: unknown } })?.cause?.code;
  return code === UNAVAILABLE || code === DEADLINE_EXCEEDED || cause === UNAVAILABLE || cause === DEADLINE_EXCEEDED;
}

/** Turns an unreachable Temporal into a 503 the client can retry; anything else is rethrown. */
export function rethrowTemporal(err: unknown, what: string): never {
  if (err instanceof HttpException) throw err;
  if (isTemporalUnavailable(err)) throw new ServiceUnavailableException(`Temporal did not answer while trying to ${what}; retry shortly`);
  throw err;
}
