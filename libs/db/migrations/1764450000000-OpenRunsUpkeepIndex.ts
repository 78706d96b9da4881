import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The run reconciler (upkeep/runs-reconciler) walks open runs by `updated_at` every minute; a partial
 * index keeps each pass an index range scan however many closed runs the table holds.
 */
export class OpenRunsUpkeepIndex1764450000000 implements MigrationInterface {
  name = 'OpenRunsUpkeepIndex1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX runs_open_updated ON runs (updated_at, run_id) WHERE closed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX runs_open_updated`);
  }
}
