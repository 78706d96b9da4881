// Every migration goes up on an empty database, comes all the way down, and goes up again: a
// deployment can roll back any schema change, and a `down` that forgot a table or trigger fails here.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testInfra, uniqueId } from '../../test/infra';
import { dataSourceOptions } from './data-source';
import { migrations } from './migrations';

describe('database migrations', () => {
  const name = uniqueId('migrations')
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase();
  let admin: Client;
  let url: string;

  beforeAll(async () => {
    admin = new Client({ connectionString: testInfra().databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(testInfra().databaseUrl);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  });

  const tables = async (ds: DataSource) =>
    (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`)).map(
      (r: { tablename: string }) => r.tablename,
    );

  it('go up, all the way down, and up again', async () => {
    const ds = new DataSource(dataSourceOptions(url, { logging: false }));
    await ds.initialize();
    try {
      expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(migrations.map((M) => new M().name));
      const schema = await tables(ds);
      expect(schema).toEqual(expect.arrayContaining(['runs', 'run_events', 'kpi_run_facts', 'chat_turn_timings', 'outbox', 'alert_rules']));

      for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables(ds)).toEqual([]);
      expect(
        (
          await ds.query(`SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`)
        )[0].n,
      ).toBe(0); // extensions' own stay

      await ds.runMigrations({ transaction: 'each' });
      expect(await tables(ds)).toEqual(schema);
    } finally {
      await ds.destroy();
    }
  });
});
