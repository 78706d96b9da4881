import { reconcileIntervalFromEnv } from './schedule';

describe('CAUCE_RUN_RECONCILE_INTERVAL', () => {
  it('defaults to every minute, takes durations, and turns off with off', () => {
    expect(reconcileIntervalFromEnv({})).toBe('1m');
    expect(reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: ' ' })).toBe('1m');
    expect(reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: '30s' })).toBe('30s');
    expect(reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: '5 min' })).toBe('5 min');
    expect(reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: 'off' })).toBeNull();
    expect(reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: 'OFF' })).toBeNull();
  });

  it('refuses what is not a duration of at least a second, naming the variable', () => {
    expect(() => reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: 'often' })).toThrow(/CAUCE_RUN_RECONCILE_INTERVAL must be a duration/);
    expect(() => reconcileIntervalFromEnv({ CAUCE_RUN_RECONCILE_INTERVAL: '500ms' })).toThrow(/CAUCE_RUN_RECONCILE_INTERVAL must be at least 1s/);
  });
});
