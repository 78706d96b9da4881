import { BadRequestException, ConflictException, GatewayTimeoutException, HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { findFailure } from '../../../contracts/failures';
import { isTemporalUnavailable } from '../common/temporal-errors';

/**
 * Temporal's answers to a run command, as HTTP. A refusal from the workflow is read by its failure
 * `type` (contracts/failures.ts), never by its English message, which the interpreter may reword.
 */

/** How long a chat turn may take before the API answers 504 (the message stays with the run). */
export const CHAT_TURN_TIMEOUT_MS = 30_000;

const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_INVALID_ARGUMENT = 3;

/**
 * gRPC codes with which Temporal refuses a start outright, having created nothing: INVALID_ARGUMENT,
 * NOT_FOUND (namespace), PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, UNIMPLEMENTED,
 * UNAUTHENTICATED. Any other failure (deadline, unavailable, cancelled, unknown, internal) may
 * have started the workflow.
 */
const START_REFUSED_CODES = new Set([3, 5, 7, 8, 9, 12, 16]);

/** Whether Temporal refused a start outright (nothing was created), so its index row can go. */
export function startRefused(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return false;
  const code = (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'number' && START_REFUSED_CODES.has(code);
}

/** 503 naming the run, so a client can also follow it by id (the exception filter adds Retry-After to every 503). */
export function startUnavailable(runId: string, err: unknown, what: string): HttpException {
  if (err instanceof HttpException) return err;
  return new ServiceUnavailableException({
    message: `Temporal did not answer in time to ${what}; retry with the same key (a start without a key may start another run)`,
    details: { runId },
  });
}

/** 409 for a run that ended, with its status. */
export function finishedConflict(runId: string, status: string, outcome: string | null | undefined, what: string): ConflictException {
  return new ConflictException({
    message: `Run ${runId} is ${status}${outcome ? ` (${outcome})` : ''} and takes no more ${what}`,
    details: { runId, status, ...(outcome ? { outcome } : {}) },
  });
}

/**
 * A chat turn's failure as HTTP: the workflow's typed refusals (RunFinished 409,
 * TooManyMessagesInFlight 429, any other refusal 400), no answer in time 504, Temporal unreachable
 * 503. `'workflowNotFound'` when Temporal does not know the run (the caller tells closed from gone);
 * undefined for anything else, which the caller rethrows.
 */
export function chatTurnFailure(runId: string, err: unknown): HttpException | 'workflowNotFound' | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const refused = findFailure(err, 'RunFinished', 'TooManyMessagesInFlight', 'InvalidMessage');
    const why = refused?.message ?? err.cause?.message ?? err.message;
    switch (refused?.type) {
      case 'RunFinished':
        return finishedConflict(runId, refused.details.status, refused.details.outcome, 'messages');
      case 'TooManyMessagesInFlight':
        return new HttpException({ message: why }, HttpStatus.TOO_MANY_REQUESTS);
      default:
        // InvalidMessage, and a refusal of a worker older than the typed failures: the message is the client's to fix.
        return new BadRequestException(why);
    }
  }
  if (err instanceof WorkflowNotFoundError) return 'workflowNotFound';
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err as { code?: number })?.code === GRPC_DEADLINE_EXCEEDED) {
    return new GatewayTimeoutException(
      `Run ${runId} did not answer within ${CHAT_TURN_TIMEOUT_MS / 1000} s (is a worker running?); the message is kept by the run`,
    );
  }
  if (isTemporalUnavailable(err))
    return new HttpException({ message: 'Temporal did not answer; retry the message with the same id' }, HttpStatus.SERVICE_UNAVAILABLE);
  return undefined;
}
