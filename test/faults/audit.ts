import { Client as PgClient } from 'pg';
import type { Conversation, ConversationLoad } from './load';

/** What the suite requires to be 0 after every fault, counted over the whole load. */
export interface AuditResult {
  conversations: number;
  runs: number;
  /** A run whose start was answered (201/200) but that the API no longer knows. */
  runsLost: number;
  /** A run that never reached `completed` although its client sent every message. */
  runsNotFinished: number;
  /** A conversation whose client gave up (a request failed past its deadline or was refused for good). */
  conversationsFailed: number;
  /** A message answered 200 whose text is not in the run's transcript. */
  messagesMissing: number;
  /** A message in a transcript more than once, or a key that started more than one run. */
  duplicates: number;
  /** A finished run without run.started or run.finished in run_events, or with a gap in its seq numbers. */
  missingRunEvents: number;
  details: string[];
}

async function poll<T>(timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function audit(load: ConversationLoad, databaseUrl: string, settleMs = 60_000): Promise<AuditResult> {
  const conversations = load.conversations;
  const withRun = conversations.filter((c): c is Conversation & { runId: string } => !!c.runId);
  const result: AuditResult = {
    conversations: conversations.length,
    runs: withRun.length,
    runsLost: 0,
    runsNotFinished: 0,
    conversationsFailed: 0,
    messagesMissing: 0,
    duplicates: 0,
    missingRunEvents: 0,
    details: [],
  };
  for (const c of conversations) {
    if (c.error) {
      result.conversationsFailed++;
      result.details.push(`conversation ${c.index} failed: ${c.error}`);
    }
  }

  const deadline = Date.now() + settleMs;
  for (const c of withRun) {
    // A conversation cut off by its client may legitimately still wait; only finished ones must be complete.
    const run = await poll(Math.max(1_000, deadline - Date.now()), async () => {
      const res = await load
        .send<{ status: string; transcript: { from: string; text: string }[] }>('GET', `/api/runs/${c.runId}`, undefined)
        .catch(() => undefined);
      if (!res) return undefined;
      if (res.status === 404) return { status: 'lost', transcript: [] as { from: string; text: string }[] };
      if (res.status !== 200) return undefined;
      if (c.done && res.body?.status !== 'completed') return undefined;
      return res.body;
    });
    if (!run) {
      result.runsNotFinished++;
      result.details.push(`run ${c.runId} (conversation ${c.index}) could not be read or did not complete`);
      continue;
    }
    if (run.status === 'lost') {
      result.runsLost++;
      result.details.push(`run ${c.runId} (conversation ${c.index}) is gone (404)`);
      continue;
    }
    if (c.done && run.status !== 'completed') {
      result.runsNotFinished++;
      result.details.push(`run ${c.runId} is ${run.status}`);
    }
    const said = run.transcript.filter((e) => e.from === 'customer').map((e) => e.text);
    for (const m of c.accepted) {
      const times = said.filter((t) => t === m.text).length;
      if (times === 0) {
        result.messagesMissing++;
        result.details.push(`run ${c.runId}: accepted message ${m.id} is not in the transcript`);
      } else if (times > 1) {
        result.duplicates++;
        result.details.push(`run ${c.runId}: message ${m.id} is in the transcript ${times} times`);
      }
    }
  }

  const pg = new PgClient({ connectionString: databaseUrl });
  pg.on('error', () => undefined);
  await pg.connect();
  try {
    const keys = conversations.map((c) => c.key);
    const perKey = await pg.query<{ start_key: string; runs: number }>(
      'SELECT start_key, count(*)::int AS runs FROM runs WHERE start_key = ANY($1) GROUP BY start_key HAVING count(*) > 1',
      [keys],
    );
    for (const row of perKey.rows) {
      result.duplicates += row.runs - 1;
      result.details.push(`key ${row.start_key} started ${row.runs} runs`);
    }
    // Run events are written in batches by the workflow (and by the reconciler for runs closed outside
    // their code): give them the settle time too.
    const finished = withRun.filter((c) => c.done).map((c) => c.runId);
    const eventsDeadline = Math.max(deadline, Date.now() + 5_000);
    let stillMissing: string[];
    for (;;) {
      // Every event between them too: seq numbers are dense (1..n, carried through continue-as-new), so
      // a gap is an event a crash lost (the run-log writer's queue, a close before its commit).
      const { rows } = await pg.query<{ run_id: string }>(
        `SELECT r.run_id FROM unnest($1::text[]) AS r(run_id)
          WHERE NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.run_id AND e.type = 'run.started')
             OR NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.run_id AND e.type = 'run.finished')
             OR (SELECT count(*) <> max(seq) FROM run_events e WHERE e.run_id = r.run_id)`,
        [finished],
      );
      stillMissing = rows.map((r) => r.run_id);
      if (stillMissing.length === 0 || Date.now() > eventsDeadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    result.missingRunEvents = stillMissing.length;
    for (const runId of stillMissing.slice(0, 20)) result.details.push(`run ${runId} lacks run.started, run.finished or an event between them in run_events`);
  } finally {
    await pg.end();
  }
  return result;
}
