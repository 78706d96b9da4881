import { cancellationSignal } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { failure, FailureType } from '../contracts/failures';

/**
 * How activities report failure to the interpreter:
 * - input a retry cannot fix (a bad email, an unknown secret, a refused URL): a non-retryable
 *   `ApplicationFailure`, so the node takes its error path at once;
 * - anything transient (a dropped connection, a 5xx, a timeout): a retryable failure or a plain
 *   `Error`, and the activity's retry policy decides.
 */
export function invalidInput(message: string, details?: Record<string, unknown>): ApplicationFailure {
  return details ? failure('InvalidInput', message, details) : ApplicationFailure.nonRetryable(message, 'InvalidInput' satisfies FailureType);
}

/** PostgreSQL SQLSTATE classes that no retry can fix: data exceptions (22) and integrity violations (23). */
export function isPermanentPgError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

/**
 * Re-throws a database error in the right category: constraint and data errors become
 * non-retryable (with `message`), everything else (connection lost, pool exhausted,
 * serialization failures) is returned unchanged so Temporal retries it.
 */
export function classifyDbError(err: unknown, message: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (isPermanentPgError(err)) {
    return ApplicationFailure.nonRetryable(`${message}: ${(err as Error).message}`, 'InvalidInput' satisfies FailureType);
  }
  return err;
}

/** The activity's cancellation signal when running inside a Temporal activity; undefined in plain calls. */
export function activityCancellationSignal(): AbortSignal | undefined {
  try {
    return cancellationSignal();
  } catch {
    return undefined;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
