import { BatchedWrites } from './batched-writes';

function writer(failures: unknown[] = [], flushRows = 3) {
  const written: number[][] = [];
  const dropped: number[][] = [];
  const batches = new BatchedWrites<number>({
    what: 'rows',
    flushRows,
    flushMs: 1_000,
    maxPending: 5,
    retryMs: 500,
    write: async (batch) => {
      const failure = failures.shift();
      if (failure) throw failure;
      written.push(batch);
    },
    onDropped: (rows) => dropped.push(rows),
  });
  return { batches, written, dropped };
}

describe('BatchedWrites', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes many rows in one batch, after flushMs or at flushRows', async () => {
    const { batches, written } = writer();
    batches.add(1);
    batches.add(2);
    await jest.advanceTimersByTimeAsync(999);
    expect(written).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(written).toEqual([[1, 2]]);
    batches.add(3);
    batches.add(4);
    batches.add(5); // flushRows: at once
    await Promise.resolve();
    await batches.flush();
    expect(written).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('retries a deadlocked batch and drops one PostgreSQL refuses for its data', async () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const tooLong = Object.assign(new Error('value too long'), { code: '22001' });
    const { batches, written, dropped } = writer([deadlock, tooLong]);
    batches.add(1);
    await batches.flush(); // deadlock: kept
    await jest.advanceTimersByTimeAsync(500);
    expect(written).toEqual([]);
    expect(dropped).toEqual([[1]]);
    batches.add(2);
    await batches.flush();
    expect(written).toEqual([[2]]);
    expect(batches.dropped).toBe(1);
  });

  it('drops the oldest rows beyond maxPending while the database is down', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { batches, written, dropped } = writer([down], 100);
    batches.add(1);
    batches.add(2);
    await batches.flush(); // refused: kept
    for (const n of [3, 4, 5, 6]) batches.add(n);
    expect(dropped).toEqual([[1]]);
    await batches.flush();
    expect(written.flat()).toEqual([2, 3, 4, 5, 6]);
  });
});
