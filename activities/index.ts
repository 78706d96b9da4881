import type { Pool } from 'pg';
import { createRunEventActivities } from './run-events/run-events.activities';

export interface ActivityDeps {
  pool: Pool;
}

/** Every activity the worker registers, built from the clients it is given. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRunEventActivities(deps),
  };
}

export type CauceActivities = ReturnType<typeof createActivities>;
