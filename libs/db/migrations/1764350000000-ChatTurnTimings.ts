import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `chat_turn_timings`: the API's own measure of every customer chat turn that got an answer within
 * the turn, from the moment the API received the message to the moment it had the replies.
 *
 * Why: the workflow clock stands still within one workflow task, so a bot reply produced in the same
 * task as the customer's message is stamped with the message's own time and the response-time KPI
 * read ~0 ms. The API stamps `receivedAt` (epoch ms) into the message (the interpreter copies it
 * into the `message.in` event) and records here when the replies came back; libs/kpis/facts.ts joins
 * the two on (run_id, received_ms). Rows arrive in small batches; each batch marks its runs dirty
 * for the KPI facts, like an event batch does.
 */
export class ChatTurnTimings1764350000000 implements MigrationInterface {
  name = 'ChatTurnTimings1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_turn_timings (
        run_id text NOT NULL,
        received_ms bigint NOT NULL,
        replied_at timestamptz NOT NULL,
        response_ms double precision NOT NULL CHECK (response_ms >= 0),
        PRIMARY KEY (run_id, received_ms)
      )`);
    await q.query(`
      CREATE FUNCTION kpi_mark_timed_runs_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO kpi_dirty_runs (run_id)
        SELECT DISTINCT run_id FROM new_chat_turn_timings ORDER BY run_id
        ON CONFLICT (run_id) DO UPDATE SET marked_at = now();
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER chat_turn_timings_kpi_dirty AFTER INSERT ON chat_turn_timings
      REFERENCING NEW TABLE AS new_chat_turn_timings
      FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_timed_runs_dirty()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER chat_turn_timings_kpi_dirty ON chat_turn_timings`);
    await q.query(`DROP FUNCTION kpi_mark_timed_runs_dirty()`);
    await q.query(`DROP TABLE chat_turn_timings`);
  }
}
