import { FINISHED_STATUSES, statusFromTemporal } from './run-status';

describe('statusFromTemporal', () => {
  it('maps Temporal execution statuses, by name and by proto number', () => {
    expect(statusFromTemporal('RUNNING')).toBe('running');
    expect(statusFromTemporal(2, 'completed')).toBe('completed');
    expect(statusFromTemporal('COMPLETED', 'running')).toBe('completed');
    expect(statusFromTemporal(3)).toBe('failed');
    expect(statusFromTemporal('CANCELLED')).toBe('cancelled');
    expect(statusFromTemporal(5)).toBe('terminated');
    expect(statusFromTemporal('TIMED_OUT')).toBe('timed_out');
  });

  it("keeps the status the workflow recorded for a completed run, and the recorded one while Temporal's is unknown", () => {
    expect(statusFromTemporal('COMPLETED', 'failed')).toBe('failed');
    expect(statusFromTemporal(undefined, 'waiting')).toBe('waiting');
    expect(statusFromTemporal(undefined)).toBe('running');
  });

  it('every status it can give for a closed execution is a finished status', () => {
    for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']) expect(FINISHED_STATUSES.has(statusFromTemporal(s))).toBe(true);
    expect(FINISHED_STATUSES.has(statusFromTemporal('RUNNING'))).toBe(false);
  });
});
