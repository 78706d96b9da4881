import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on one client of the pool: committed when it resolves, rolled back
 * when it throws (the error is rethrown), and the client always released. `begin` may open it
 * read-only (`BEGIN READ ONLY`).
 */
export async function inTransaction<T>(pool: Pick<Pool, 'connect'>, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
