import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The runs reconciler's sweep (upkeep/runs-reconciler/sweep.ts) looks every minute for closed rows
 * without an outcome: rows the API closed before a flowRunV2 run's last log entry was written. Only
 * such rows enter this partial index (a handful, not one per run), so the sweep is an index range
 * scan however many closed runs the table holds.
 */
export class ClosedRunsSweepIndex1764600000000 implements MigrationInterface {
  name = 'ClosedRunsSweepIndex1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX runs_closed_without_outcome ON runs (closed_at) WHERE closed_at IS NOT NULL AND outcome IS NULL AND NOT test`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX runs_closed_without_outcome`);
  }
}
