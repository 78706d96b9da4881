import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

/** One event of a synthetic run: seconds after the run's start, type, data, node. */
export type SyntheticEvent = [offsetSeconds: number, type: string, data?: Record<string, unknown>, nodeId?: string];

/**
 * Run events written straight to `run_events`, as the interpreter's recordRunEvents would (tests and
 * demos of the KPIs). Sequence numbers follow the order given; `run.started` comes first unless the
 * run is declared without it.
 */
export class SyntheticRuns {
  private readonly rows: unknown[][] = [];

  constructor(readonly flowId: string = randomUUID()) {}

  run(
    runId: string,
    options: { start: Date; customerId?: string | null; version?: number; started?: boolean; flowId?: string },
    events: SyntheticEvent[],
  ): this {
    const all: SyntheticEvent[] = options.started === false ? events : [[0, 'run.started', { trigger: 'api' }], ...events];
    all.forEach(([offset, type, data, nodeId], i) => {
      this.rows.push([
        runId,
        options.flowId ?? this.flowId,
        options.version ?? 1,
        options.customerId ?? null,
        i + 1,
        type,
        nodeId ?? null,
        JSON.stringify(data ?? {}),
        new Date(options.start.getTime() + offset * 1000),
      ]);
    });
    return this;
  }

  /** Inserts every run given so far (in batches, like the interpreter) and forgets them. */
  async insert(pool: Pool): Promise<number> {
    let n = 0;
    while (this.rows.length) {
      const batch = this.rows.splice(0, 500);
      const values: unknown[] = [];
      const tuples = batch.map((row, i) => {
        values.push(...row);
        const o = i * 9;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}::jsonb, $${o + 9})`;
      });
      const r = await pool.query(
        `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at) VALUES ${tuples.join(', ')}
         ON CONFLICT (run_id, seq) DO NOTHING`,
        values,
      );
      n += r.rowCount ?? 0;
    }
    return n;
  }
}

/** A conversation turn: the customer writes at `at`, the bot answers `ms` later. */
export const turn = (at: number, ms: number, node = 'ask'): SyntheticEvent[] => [
  [at, 'message.in', { from: 'customer', waitingFor: 'reply' }, node],
  [at + ms / 1000, 'message.out', { from: 'bot', text: '…' }, node],
];
