import { ApplicationFailure } from '@temporalio/common';
import { failure, findFailure } from './failures';

describe('typed failures', () => {
  it('carries its type, its message and its details, and is not retried', () => {
    const f = failure('RunFinished', 'The run is completed (resolved) and takes no more messages', { status: 'completed', outcome: 'resolved' });
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ type: 'RunFinished', nonRetryable: true, details: [{ status: 'completed', outcome: 'resolved' }] });
  });

  it('is found by type through the cause chain Temporal wraps it in, whatever its message says', () => {
    const inner = failure('TooManyMessagesInFlight', 'Demasiados mensajes', { limit: 10 });
    const wrapped = Object.assign(new Error('Workflow Update failed'), { cause: inner });
    expect(findFailure(wrapped, 'RunFinished', 'TooManyMessagesInFlight')).toEqual({
      type: 'TooManyMessagesInFlight',
      message: 'Demasiados mensajes',
      details: { limit: 10 },
    });
  });

  it('ignores failures of other types and plain errors that only say the same words', () => {
    const other = Object.assign(new Error('outer'), { cause: failure('InvalidMessage', 'message.text must be a non-empty string', { field: 'text' }) });
    expect(findFailure(other, 'RunFinished')).toBeUndefined();
    expect(findFailure(new Error('The run is completed and takes no more messages'), 'RunFinished')).toBeUndefined();
    expect(findFailure(ApplicationFailure.nonRetryable('The run is completed', 'Error'), 'RunFinished')).toBeUndefined();
  });
});
