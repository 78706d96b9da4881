import type { Provider } from '@nestjs/common';
import { RunIndexRepository, type RunsDb } from '../../../libs/runs-index/run-index.repository';
import { PG_POOL } from '../database/pg-pool';

/** The `pg` Pool behind the API's data source, for the libs that take one (the run index, the reconciler). */
export const RUNS_DB = Symbol('RUNS_DB');

/** The run index repository on the API's own pool: one pool per process. */
export const runIndexProviders: Provider[] = [
  { provide: RUNS_DB, useExisting: PG_POOL },
  { provide: RunIndexRepository, useFactory: (db: RunsDb) => new RunIndexRepository(db), inject: [RUNS_DB] },
];
