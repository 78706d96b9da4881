import { HttpException } from '@nestjs/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { failure } from '../../../contracts/failures';
import { chatTurnFailure, startRefused } from './run-failures';

const updateFailed = (cause: Error) => new WorkflowUpdateFailedError('Workflow Update failed', cause);
const asHttp = (e: ReturnType<typeof chatTurnFailure>) => {
  expect(e).toBeInstanceOf(HttpException);
  const http = e as HttpException;
  return { status: http.getStatus(), body: http.getResponse() as Record<string, unknown> };
};

describe('chatTurnFailure: a chat turn refused by the run, as HTTP', () => {
  it('maps RunFinished to 409 with the run’s status and outcome from the failure’s details', () => {
    const e = asHttp(chatTurnFailure('run-1', updateFailed(failure('RunFinished', 'La conversación terminó', { status: 'completed', outcome: 'resolved' }))));
    expect(e.status).toBe(409);
    expect(e.body).toMatchObject({
      message: 'Run run-1 is completed (resolved) and takes no more messages',
      details: { runId: 'run-1', status: 'completed', outcome: 'resolved' },
    });
  });

  it('maps TooManyMessagesInFlight to 429 and InvalidMessage to 400, whatever language the message is in', () => {
    expect(asHttp(chatTurnFailure('run-1', updateFailed(failure('TooManyMessagesInFlight', 'Demasiados mensajes', { limit: 10 })))).status).toBe(429);
    const invalid = asHttp(chatTurnFailure('run-1', updateFailed(failure('InvalidMessage', 'message.text must be a non-empty string', { field: 'text' }))));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ message: 'message.text must be a non-empty string' });
  });

  it('does not read the English text: an untyped refusal that says "finished" is a 400, not a 409', () => {
    const untyped = updateFailed(ApplicationFailure.nonRetryable('Run is completed and takes no more messages', 'Error'));
    expect(asHttp(chatTurnFailure('run-1', untyped)).status).toBe(400);
  });

  it('tells a run Temporal does not know, a turn without an answer (504) and an unreachable Temporal (503) apart', () => {
    expect(chatTurnFailure('run-1', new WorkflowNotFoundError('not found', 'run-1', undefined))).toBe('workflowNotFound');
    expect(asHttp(chatTurnFailure('run-1', new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).status).toBe(504);
    expect(asHttp(chatTurnFailure('run-1', Object.assign(new Error('deadline'), { code: 4 }))).status).toBe(504);
    expect(asHttp(chatTurnFailure('run-1', Object.assign(new Error('unavailable'), { code: 14 }))).status).toBe(503);
    expect(chatTurnFailure('run-1', new Error('something else'))).toBeUndefined();
  });
});

describe('startRefused: whether Temporal created nothing', () => {
  it('is true only for the gRPC codes of an outright refusal', () => {
    expect(startRefused(Object.assign(new Error('bad'), { code: 3 }))).toBe(true);
    expect(startRefused(Object.assign(new Error('wrapped'), { cause: { code: 7 } }))).toBe(true);
    expect(startRefused(Object.assign(new Error('deadline'), { code: 4 }))).toBe(false);
    expect(startRefused(Object.assign(new Error('unavailable'), { code: 14 }))).toBe(false);
    expect(startRefused(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).toBe(false);
  });
});
