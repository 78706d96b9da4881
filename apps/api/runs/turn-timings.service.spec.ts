import type { RunsDb } from '../../../libs/runs-index/run-index.repository';
import { TurnTimingsService } from './turn-timings.service';

/** A `pg` pool whose `query` fails as told, recording the run ids of every batch it stored. */
function fakePool(failures: unknown[]) {
  const stored: string[][] = [];
  const db = {
    query: async (_sql: string, params: unknown[]) => {
      const failure = failures.shift();
      if (failure) throw failure;
      stored.push(params[0] as string[]);
    },
  } as unknown as RunsDb;
  return { db, stored };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('TurnTimingsService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps a batch while the database is unreachable and stores it, in order, once it is back', async () => {
    const { db, stored } = fakePool([refused, refused]);
    const timings = new TurnTimingsService(db);
    timings.record({ runId: 'run-a', receivedAt: 1, repliedAt: 2 });
    await timings.flush(); // refused: kept
    timings.record({ runId: 'run-b', receivedAt: 3, repliedAt: 4 });
    await jest.advanceTimersByTimeAsync(1_000); // refused again: kept
    await jest.advanceTimersByTimeAsync(1_000); // back
    expect(stored).toEqual([['run-a', 'run-b']]);
    expect(timings.dropped).toBe(0);
  });

  it('drops a batch the database refuses for its data (retrying would never succeed)', async () => {
    const { db, stored } = fakePool([Object.assign(new Error('value too long'), { code: '22001' })]);
    const timings = new TurnTimingsService(db);
    timings.record({ runId: 'run-a', receivedAt: 1, repliedAt: 2 });
    await timings.flush();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(stored).toEqual([]);
    expect(timings.dropped).toBe(1);
  });
});
