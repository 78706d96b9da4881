import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';

/** Every migration, in order. A schema change adds a file named by its timestamp and a line here. */
export const migrations = [InitialSchema1763900000000];
