import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, unavailableDependency } from './dependency-errors';

/** Shapes taken from a real outage (test/faults and apps/api/health/dependency-outage.itest.ts). */
describe('unavailableDependency', () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down', withCode('terminating connection due to unexpected postmaster exit', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['several refused addresses', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]), { code: undefined })],
    [
      'a failed query whose driver lost the server',
      new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01')),
    ],
  ])('calls %s the database being down', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(unavailableDependency(err)).toBe('database');
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key value', '23505'))],
    ['an invalid text representation', withCode('invalid input syntax for type uuid', '22P02')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error at all', 'boom'],
  ])('leaves %s alone (a 4xx or a 500, not a 503)', (_what, err) => {
    expect(unavailableDependency(err)).toBeUndefined();
  });

  it('calls a gRPC UNAVAILABLE from the Temporal client Temporal being down', () => {
    const err = Object.assign(new Error('14 UNAVAILABLE: Connection refused'), { code: 14 });
    expect(unavailableDependency(err)).toBe('temporal');
    expect(unavailableDependency(Object.assign(new Error('Failed to query workflow'), { cause: err }))).toBe('temporal');
  });
});
