import type { Pool } from 'pg';
import { classifyDbError } from '../errors';

/** One thing that happened in a run: node entered/left, message in/out, escalation, goal, exposure, outcome. */
export interface RunEvent {
  /** Position in the run, assigned by the workflow; with runId it makes a re-sent batch harmless. */
  seq: number;
  type: string;
  nodeId?: string;
  data?: Record<string, unknown>;
  /** ISO time from the workflow's deterministic clock. */
  at: string;
}

export interface RunEventBatch {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
  events: RunEvent[];
}

export interface RunIndexUpdate {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
  startKey?: string;
  status: string;
  outcome?: string;
  currentNode?: string;
  startedAt?: string;
  closedAt?: string;
}

export interface RunEventDeps {
  pool: Pool;
}

/**
 * The interpreter buffers run events and flushes them here in batches, one activity per batch,
 * so a long conversation does not cost one activity per event.
 */
export function createRunEventActivities({ pool }: RunEventDeps) {
  return {
    async recordRunEvents(batch: RunEventBatch): Promise<number> {
      if (batch.events.length === 0) return 0;
      const values: unknown[] = [];
      const rows = batch.events.map((e, i) => {
        const o = i * 9;
        values.push(batch.runId, batch.flowId, batch.version, batch.customerId ?? null, e.seq, e.type, e.nodeId ?? null, JSON.stringify(e.data ?? {}), e.at);
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}::jsonb, $${o + 9})`;
      });
      const result = await pool
        .query(
        `INSERT INTO run_events (run_id, flow_id, version, customer_id, seq, type, node_id, data, occurred_at)
         VALUES ${rows.join(', ')} ON CONFLICT (run_id, seq) DO NOTHING`,
        values,
      )
        // Bad data (say, a flow id that is not a UUID) is not retried forever; a lost connection is.
        .catch((err) => {
          throw classifyDbError(err, 'run events could not be stored');
        });
      return result.rowCount ?? 0;
    },

    async updateRunIndex(update: RunIndexUpdate): Promise<void> {
      await pool
        .query(
        `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, outcome, current_node, started_at, closed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()), $10, now())
         ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status, outcome = COALESCE(EXCLUDED.outcome, runs.outcome),
           current_node = EXCLUDED.current_node, closed_at = COALESCE(EXCLUDED.closed_at, runs.closed_at), updated_at = now()`,
        [update.runId, update.flowId, update.version, update.customerId ?? null, update.startKey ?? null, update.status,
          update.outcome ?? null, update.currentNode ?? null, update.startedAt ?? null, update.closedAt ?? null],
        )
        .catch((err) => {
          throw classifyDbError(err, 'the run index could not be updated');
        });
    },
  };
}

export type RunEventActivities = ReturnType<typeof createRunEventActivities>;
