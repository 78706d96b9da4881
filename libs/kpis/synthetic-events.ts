import { randomUUID } from 'node:crypto';
import type { RecordedRunEvent } from '../../contracts/run-events';
import { RunEventOwner, RunEventRepository, RunEventsDb } from '../run-events/run-event.repository';

/** One event of a synthetic run: seconds after the run's start, type, data, node. */
export type SyntheticEvent = [offsetSeconds: number, type: string, data?: Record<string, unknown>, nodeId?: string];

/**
 * Run events written to `run_events` through its one writer (libs/run-events), as the interpreter's
 * recordRunEvents would (tests and demos of the KPIs). Sequence numbers follow the order given;
 * `run.started` comes first unless the run is declared without it.
 */
export class SyntheticRuns {
  private readonly runs: { owner: RunEventOwner; events: RecordedRunEvent[] }[] = [];

  constructor(readonly flowId: string = randomUUID()) {}

  run(
    runId: string,
    options: { start: Date; customerId?: string | null; version?: number; started?: boolean; flowId?: string },
    events: SyntheticEvent[],
  ): this {
    const all: SyntheticEvent[] = options.started === false ? events : [[0, 'run.started', { trigger: 'api' }], ...events];
    const owner: RunEventOwner = { runId, flowId: options.flowId ?? this.flowId, version: options.version ?? 1, customerId: options.customerId ?? undefined };
    const recorded = all.map(([offset, type, data, nodeId], i): RecordedRunEvent => ({
      seq: i + 1,
      type,
      ...(nodeId !== undefined ? { nodeId } : {}),
      data: data ?? {},
      at: new Date(options.start.getTime() + offset * 1000).toISOString(),
    }));
    this.runs.push({ owner, events: recorded });
    return this;
  }

  /** Inserts every run given so far (one batch per run, like the interpreter's flush) and forgets them. */
  async insert(db: RunEventsDb): Promise<number> {
    const repository = new RunEventRepository(db);
    let n = 0;
    for (const { owner, events } of this.runs.splice(0)) n += await repository.insert(owner, events);
    return n;
  }
}

/** A conversation turn: the customer writes at `at`, the bot answers `ms` later. */
export const turn = (at: number, ms: number, node = 'ask'): SyntheticEvent[] => [
  [at, 'message.in', { from: 'customer', waitingFor: 'reply' }, node],
  [at + ms / 1000, 'message.out', { from: 'bot', text: '…' }, node],
];
