import { outboxIntervalFromEnv } from './schedule';

describe('CAUCE_OUTBOX_DISPATCH_INTERVAL', () => {
  it('defaults to every minute, takes durations, turns off with off, and names itself when wrong', () => {
    expect(outboxIntervalFromEnv({})).toBe('1m');
    expect(outboxIntervalFromEnv({ CAUCE_OUTBOX_DISPATCH_INTERVAL: '30s' })).toBe('30s');
    expect(outboxIntervalFromEnv({ CAUCE_OUTBOX_DISPATCH_INTERVAL: 'off' })).toBeNull();
    expect(() => outboxIntervalFromEnv({ CAUCE_OUTBOX_DISPATCH_INTERVAL: 'soon' })).toThrow(/CAUCE_OUTBOX_DISPATCH_INTERVAL must be a duration/);
    expect(() => outboxIntervalFromEnv({ CAUCE_OUTBOX_DISPATCH_INTERVAL: '10ms' })).toThrow(/CAUCE_OUTBOX_DISPATCH_INTERVAL must be at least 1s/);
  });
});
