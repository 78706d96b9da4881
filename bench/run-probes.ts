/**
 * What Temporal and PostgreSQL hold about a benchmark's runs (bench/floor.ts, api-conversations.ts):
 * which are still open (so a phase's asynchronous work is charged to that phase), and the shape and
 * size of their histories (so a reader sees where extra events come from).
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';

const quote = (id: string) => `'${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Workflows among `ids` Temporal still lists as running (visibility, by id: it does not depend on the workflow type). */
export async function openInTemporal(client: Client, ids: string[]): Promise<number> {
  let open = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const { count } = await client.workflow.count(`ExecutionStatus = 'Running' AND WorkflowId IN (${chunk.map(quote).join(', ')})`);
    open += count;
  }
  return open;
}

/**
 * Runs among `ids` whose `runs` row is not closed yet: missing or with closed_at null. Counted from
 * the closed rows, so a writer that inserts the row only at the close is waited for as well.
 */
export async function unclosedInPostgres(pool: Pool, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE run_id = ANY($1) AND closed_at IS NOT NULL`, [ids]);
  return ids.length - rows[0].n;
}

/**
 * Runs among `ids` not closed yet: still running in Temporal or, with a pool (Cauce's runs), whose
 * `runs` row is not closed. Temporal first: its answer is the cheaper one to wait on.
 */
export function stillOpenProbe(client: Client, pool?: Pool): (ids: string[]) => Promise<number> {
  return async (ids) => {
    const open = await openInTemporal(client, ids);
    return open > 0 || !pool ? open : unclosedInPostgres(pool, ids);
  };
}

export interface HistorySample {
  runs: number;
  events: { mean: number; min: number; max: number };
  bytes: { mean: number; min: number; max: number };
  /** The WorkflowExecutionStarted event alone: the start's input (a flow definition, or a reference). */
  startEventBytes: number;
  /** The event types of one history, in order, markers with their name (and local activity type). */
  eventTypes: string[];
  failed: number;
}

const EVENT_TYPE_PREFIX = 'EVENT_TYPE_';
/** EVENT_TYPE_WORKFLOW_TASK_SCHEDULED → WorkflowTaskScheduled. */
function eventTypeName(type: temporal.api.enums.v1.EventType | null | undefined): string {
  const raw = temporal.api.enums.v1.EventType[type ?? 0] ?? `EventType${type}`;
  return raw
    .replace(EVENT_TYPE_PREFIX, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/** A marker's name and, for a local activity, its type (read from the marker's JSON details, best effort). */
function markerLabel(attrs: temporal.api.history.v1.IMarkerRecordedEventAttributes): string {
  let detail = '';
  for (const payloads of Object.values(attrs.details ?? {})) {
    for (const p of payloads.payloads ?? []) {
      try {
        const value = JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as Record<string, unknown>;
        const name = value?.activity_type ?? value?.activityType ?? value?.patch_id ?? value?.patchId;
        if (typeof name === 'string') detail = name;
      } catch {
        // not JSON: the name alone says enough
      }
    }
  }
  return `${attrs.markerName ?? 'marker'}${detail ? `:${detail}` : ''}`;
}

/** The histories of up to `n` of `ids`, evenly spread, fetched through the Temporal client. */
export async function sampleHistories(client: Client, ids: string[], n: number): Promise<HistorySample> {
  const step = Math.max(1, Math.floor(ids.length / Math.max(1, n)));
  const picked = ids.filter((_, i) => i % step === 0).slice(0, n);
  const events: number[] = [];
  const bytes: number[] = [];
  let startEventBytes = 0;
  let eventTypes: string[] = [];
  let failed = 0;
  for (const id of picked) {
    try {
      const history = await client.workflow.getHandle(id).fetchHistory();
      const list = history.events ?? [];
      events.push(list.length);
      bytes.push(temporal.api.history.v1.History.encode(history).finish().length);
      if (eventTypes.length === 0) {
        startEventBytes = list[0] ? temporal.api.history.v1.HistoryEvent.encode(list[0]).finish().length : 0;
        eventTypes = list.map((e) =>
          e.markerRecordedEventAttributes ? `${eventTypeName(e.eventType)}(${markerLabel(e.markerRecordedEventAttributes)})` : eventTypeName(e.eventType),
        );
      }
    } catch (err) {
      failed++;
      if (failed <= 2) console.error(`[bench] history of ${id}: ${(err as Error).message}`);
    }
  }
  const stats = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / (xs.length || 1), min: Math.min(...xs), max: Math.max(...xs) });
  return { runs: events.length, events: stats(events), bytes: stats(bytes), startEventBytes, eventTypes, failed };
}
