import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { classifyDbError, errorMessage } from '../errors';
import { sanitizeJson, sanitizeText } from './sanitize';
import { RunIndexRepository } from '../../libs/runs-index/run-index.repository';
import { RunEventRepository } from '../../libs/run-events/run-event.repository';
import type { RunEventBatch, RunIndexUpdate } from '../../contracts/activities';
import type { RecordedRunEvent as RunEvent } from '../../contracts/run-events';

export type { RunEvent, RunEventBatch, RunIndexUpdate };

export interface RunEventDeps {
  pool: Pool;
}

/** PostgreSQL error classes one event's values can cause: data exceptions (22: bad text, jsonb, time) and program limits (54: too deep, too large). */
function isValueError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)/.test(code);
}

/** How much of PostgreSQL's refusal a quarantined event keeps. */
const MAX_REASON_LENGTH = 300;

/**
 * What is kept of an event PostgreSQL refused even after sanitizing: its type, node and seq (so
 * the sequence has no gap), a valid time, the reason, and the `status`/`outcome` a `run.finished`
 * needs for the KPIs when they are short strings.
 */
export function quarantined(event: RunEvent, reason: string): RunEvent {
  const data: Record<string, unknown> = { quarantined: true, reason: reason.slice(0, MAX_REASON_LENGTH) };
  for (const key of ['status', 'outcome'] as const) {
    const v = event.data?.[key];
    if (typeof v === 'string' && v.length <= 100) data[key] = v;
  }
  const at = Date.parse(event.at);
  return { ...event, data, at: Number.isFinite(at) ? new Date(at).toISOString() : new Date().toISOString() };
}

/** The event with its type, node and data made storable (see sanitize.ts); seq and time are checked by PostgreSQL. */
export function sanitizeEvent(e: RunEvent): RunEvent {
  return {
    seq: e.seq,
    type: sanitizeText(e.type),
    ...(e.nodeId !== undefined ? { nodeId: sanitizeText(e.nodeId) } : {}),
    ...(e.data !== undefined ? { data: sanitizeJson(e.data) } : {}),
    at: e.at,
  };
}

/** The batch with its customer id and every event made storable: what both writers (this activity, run-log-writer.ts) insert. */
export function sanitizeBatch(b: RunEventBatch): RunEventBatch {
  return { ...b, ...(b.customerId !== undefined ? { customerId: sanitizeText(b.customerId) } : {}), events: b.events.map(sanitizeEvent) };
}

/** The activity's logger inside an activity; the console in plain calls (tests, scripts). */
function warn(line: string): void {
  try {
    Context.current().log.warn(line);
  } catch {
    console.warn(line);
  }
}

/**
 * The interpreter buffers run events and flushes them here in batches, one activity per batch,
 * so a long conversation does not cost one activity per event.
 *
 * One bad value never costs the batch: strings are sanitized first (NUL, lone surrogates), and if
 * PostgreSQL still refuses a value, the events are written one by one and the refused one is
 * stored quarantined (`data: { quarantined: true, reason }`), so the run keeps its `run.started`,
 * its `run.finished` and every other event. Only what no event can fix (a flow id that is not a
 * UUID) fails the batch without retry; a lost connection is retried by Temporal.
 */
export function createRunEventActivities({ pool }: RunEventDeps) {
  const runIndex = new RunIndexRepository(pool);
  const runEvents = new RunEventRepository(pool);
  return {
    async recordRunEvents(input: RunEventBatch): Promise<number> {
      if (input.events.length === 0) return 0;
      const batch = sanitizeBatch(input);
      const events = batch.events;
      try {
        return await runEvents.insert(batch, events);
      } catch (err) {
        if (!isValueError(err)) throw classifyDbError(err, 'run events could not be stored');
      }
      // One at a time, to find the refused ones; each insert is idempotent (run_id, seq), so a retry after a lost connection is harmless.
      let stored = 0;
      for (const event of events) {
        try {
          stored += await runEvents.insert(batch, [event]);
        } catch (err) {
          if (!isValueError(err)) throw classifyDbError(err, 'run events could not be stored');
          const reason = errorMessage(err);
          warn(`[run-events] ${batch.runId} seq ${event.seq} (${event.type}) quarantined: ${reason}`);
          stored += await runEvents.insert(batch, [quarantined(event, reason)]).catch((again) => {
            // Refused even without its data: the batch's own values are bad, for every event.
            throw classifyDbError(again, 'run events could not be stored');
          });
        }
      }
      return stored;
    },

    /** The index row's writes all live in libs/runs-index (one owner for the `runs` table). */
    async updateRunIndex(update: RunIndexUpdate): Promise<void> {
      await runIndex.applyIndexUpdate(update).catch((err) => {
        throw classifyDbError(err, 'the run index could not be updated');
      });
    },
  };
}

export type RunEventActivities = ReturnType<typeof createRunEventActivities>;
