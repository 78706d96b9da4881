import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { CrmKnowledgeOutbox1763950000000 } from './1763950000000-CrmKnowledgeOutbox';

/** Every migration, in order. A schema change adds a file named by its timestamp and a line here. */
export const migrations = [InitialSchema1763900000000, CrmKnowledgeOutbox1763950000000];
