import { quote, visibilityQuery } from './visibility';

describe('visibilityQuery', () => {
  it('lists every flow run by default, without continued-as-new executions', () => {
    expect(visibilityQuery({ scope: null })).toBe(`WorkflowType = 'flowRunWorkflow' AND ExecutionStatus != 'ContinuedAsNew'`);
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
      `WorkflowType = 'flowRunWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND CauceFlowId = 'f1' AND CauceFlowVersion = 3 AND CauceCustomerId = 'c-1' AND CauceStatus = 'completed' AND StartTime >= '2025-01-01T00:00:00.000Z' AND StartTime < '2025-02-01T00:00:00.000Z'`,
    );
    expect(visibilityQuery({ scope: null, status: 'running' })).toContain(`ExecutionStatus = 'Running'`);
    expect(visibilityQuery({ scope: null, status: 'terminated' })).toContain(`ExecutionStatus = 'Terminated'`);
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
