import { defaultPayloadConverter } from '@temporalio/common';
import { dateOfTimestamp, listedRunAttributes, quote, visibilityQuery } from './visibility';

describe('visibilityQuery', () => {
  it('lists every flow run by default, without continued-as-new executions', () => {
    expect(visibilityQuery({ scope: null })).toBe(`WorkflowType IN ('flowRunV2', 'flowRunWorkflow') AND ExecutionStatus != 'ContinuedAsNew'`);
  });

  it('filters by search attributes, status and start time', () => {
    const q = visibilityQuery({
      scope: null,
      flowId: 'f1',
      version: 3,
      customerId: 'c-1',
      status: 'completed',
      startedAfter: '2025-01-01T00:00:00Z',
      startedBefore: '2025-02-01T00:00:00.000Z',
    });
    expect(q).toBe(
      `WorkflowType IN ('flowRunV2', 'flowRunWorkflow') AND ExecutionStatus != 'ContinuedAsNew' AND CauceFlowId = 'f1' AND CauceFlowVersion = 3 AND CauceCustomerId = 'c-1' AND ExecutionStatus = 'Completed' AND StartTime >= '2025-01-01T00:00:00.000Z' AND StartTime < '2025-02-01T00:00:00.000Z'`,
    );
    expect(visibilityQuery({ scope: null, status: 'running' })).toContain(`ExecutionStatus = 'Running'`);
    expect(visibilityQuery({ scope: null, status: 'terminated' })).toContain(`ExecutionStatus = 'Terminated'`);
    // Both workflow types close their workflow the way the run ended; Temporal spells it "Canceled".
    expect(visibilityQuery({ scope: null, status: 'cancelled' })).toContain(`ExecutionStatus = 'Canceled'`);
    expect(visibilityQuery({ scope: null, status: 'failed' })).toContain(`ExecutionStatus = 'Failed'`);
  });

  it('limits a scoped key to its flows', () => {
    expect(visibilityQuery({ scope: ['a', 'b'] })).toContain(`CauceFlowId IN ('a', 'b')`);
    expect(visibilityQuery({ scope: [] })).toContain(`CauceFlowId = 'none'`);
  });

  it('quotes values so they cannot escape the literal', () => {
    expect(quote(`o'brien\\`)).toBe(`'o\\'brien\\\\'`);
    expect(visibilityQuery({ scope: null, customerId: `x' OR 1=1 --` })).toContain(`CauceCustomerId = 'x\\' OR 1=1 --'`);
    expect(() => quote('a\nb')).toThrow('control characters');
  });
});

describe('reading a raw listing without SDK internals', () => {
  it('decodes Cauce’s search attributes from their JSON payloads and ignores the others', () => {
    const p = (v: unknown) => defaultPayloadConverter.toPayload(v);
    const attrs = listedRunAttributes({ CauceFlowId: p('f1'), CauceFlowVersion: p(3), CauceStatus: p(['completed']), BuildIds: p(['x']) });
    expect(attrs).toEqual({ flowId: 'f1', version: 3, customerId: undefined, status: 'completed' });
    expect(listedRunAttributes(null)).toEqual({ flowId: undefined, version: undefined, customerId: undefined, status: undefined });
  });

  it('turns a protobuf timestamp (seconds as a Long or a number) into a Date', () => {
    expect(dateOfTimestamp({ seconds: { toNumber: () => 1_700_000_000 } /* a Long */, nanos: 250_000_000 })?.toISOString()).toBe('2023-11-14T22:13:20.250Z');
    expect(dateOfTimestamp({ seconds: 1_700_000_000 })?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(dateOfTimestamp(null)).toBeUndefined();
  });
});
