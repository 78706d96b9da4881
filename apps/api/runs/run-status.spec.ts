import { finishedRunRefusal, repliesOf, statusFromTemporal } from './run-status';

describe('run status helpers', () => {
  it('maps Temporal execution statuses', () => {
    expect(statusFromTemporal('RUNNING')).toBe('running');
    expect(statusFromTemporal(2, 'completed')).toBe('completed');
    expect(statusFromTemporal('COMPLETED', 'running')).toBe('completed');
    expect(statusFromTemporal(3)).toBe('failed');
    expect(statusFromTemporal('CANCELLED')).toBe('cancelled');
    expect(statusFromTemporal(5)).toBe('terminated');
    expect(statusFromTemporal('TIMED_OUT')).toBe('timed_out');
  });

  it('parses the refusal of a finished run', () => {
    expect(finishedRunRefusal('The run is completed (resolved) and takes no more messages')).toEqual({ status: 'completed', outcome: 'resolved' });
    expect(finishedRunRefusal('The run is cancelled and takes no more messages')).toEqual({ status: 'cancelled' });
    expect(finishedRunRefusal('message.text must be a non-empty string')).toBeNull();
  });

  it('keeps what the bot, agents and the system said', () => {
    const at = '2025-01-01T00:00:00.000Z';
    expect(
      repliesOf([
        { from: 'bot', text: 'Hola', at, nodeId: 'hi', buttons: [{ label: 'Sí', value: 'si' }] },
        { from: 'customer', text: 'hey', at },
        { from: 'system', text: 'Marta se ha unido', at },
      ]),
    ).toEqual([
      { from: 'bot', text: 'Hola', at, nodeId: 'hi', buttons: [{ label: 'Sí', value: 'si' }] },
      { from: 'system', text: 'Marta se ha unido', at },
    ]);
  });
});
