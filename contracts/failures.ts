import { ApplicationFailure } from '@temporalio/common';

/**
 * The failures that cross a stage boundary, by type. Workflows and activities raise them as
 * `ApplicationFailure`s with one of these types and typed details; the API maps them to HTTP by
 * type (see apps/api/runs/run-failures.ts), never by reading the English message, which may change.
 */
export interface FailureDetailsByType {
  /** A message or start reached a run that has finished (HTTP 409). */
  RunFinished: { status: string; outcome?: string };
  /** A run already has Temporal's maximum of concurrent Updates (HTTP 429). */
  TooManyMessagesInFlight: { limit: number };
  /** A message the run refuses: empty, too long, or from an unknown side (HTTP 400). */
  InvalidMessage: { field: string };
  /** A node failed and had no `error` branch: the run fails (its `run.finished` names the node). */
  NodeFailed: { nodeId: string };
  /** The published definition cannot run (a missing node or start); a validator bug if it happens. */
  FlowDefinitionError: { nodeId?: string };
  /** An activity's input a retry cannot fix (a bad email, a refused URL, an unknown secret). */
  InvalidInput: Record<string, unknown>;
}

export type FailureType = keyof FailureDetailsByType;

/** A non-retryable failure of `type`, carrying `details` as its first detail. */
export function failure<K extends FailureType>(type: K, message: string, details: FailureDetailsByType[K]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

/** A typed failure read back from an error chain (Temporal wraps them: WorkflowUpdateFailedError.cause, ActivityFailure.cause). */
export type TypedFailure<K extends FailureType = FailureType> = {
  [T in K]: { type: T; message: string; details: FailureDetailsByType[T] };
}[K];

/** The first `ApplicationFailure` of one of `types` in `err`'s cause chain, with its typed details. */
export function findFailure<K extends FailureType>(err: unknown, ...types: K[]): TypedFailure<K> | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (e instanceof ApplicationFailure && e.type && (types as string[]).includes(e.type)) {
      return { type: e.type, message: e.message, details: e.details?.[0] ?? {} } as TypedFailure<K>;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
