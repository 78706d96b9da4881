/**
 * A run's status as Cauce reports it, from Temporal's execution status and the CauceStatus search
 * attribute the workflow records as it finishes. The API (GET /runs, /runs/:id) and the reconciler
 * (which writes the `runs` index) both map through this one function.
 */
export type FinishedRunStatus = 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';

/** Temporal's execution status (by name or proto number) as a Cauce run status. */
export function statusFromTemporal(name: string | number | null | undefined, cauceStatus?: string): string {
  switch (name) {
    case 'RUNNING':
    case 1:
      return 'running';
    case 'COMPLETED':
    case 2:
      return cauceStatus && cauceStatus !== 'running' ? cauceStatus : 'completed';
    case 'FAILED':
    case 3:
      return 'failed';
    case 'CANCELLED':
    case 4:
      return 'cancelled';
    case 'TERMINATED':
    case 5:
      return 'terminated';
    case 'TIMED_OUT':
    case 7:
      return 'timed_out';
    default:
      return cauceStatus ?? 'running';
  }
}

export const FINISHED_STATUSES: ReadonlySet<string> = new Set<FinishedRunStatus>(['completed', 'failed', 'cancelled', 'terminated', 'timed_out']);
