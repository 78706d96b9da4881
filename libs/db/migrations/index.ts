import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { CrmKnowledgeOutbox1763950000000 } from './1763950000000-CrmKnowledgeOutbox';
import { ApiKeysAuditRunIndex1764100000000 } from './1764100000000-ApiKeysAuditRunIndex';
import { Secrets1764250000000 } from './1764250000000-Secrets';
import { KpisAlertsExperiments1764300000000 } from './1764300000000-KpisAlertsExperiments';
import { ChatTurnTimings1764350000000 } from './1764350000000-ChatTurnTimings';
import { KpiQuerySpeed1764400000000 } from './1764400000000-KpiQuerySpeed';
import { OpenRunsUpkeepIndex1764450000000 } from './1764450000000-OpenRunsUpkeepIndex';
import { SecretScopes1764550000000 } from './1764550000000-SecretScopes';
import { ClosedRunsSweepIndex1764600000000 } from './1764600000000-ClosedRunsSweepIndex';

/** Every migration, in order. A schema change adds a file named by its timestamp and a line here. */
export const migrations = [
  InitialSchema1763900000000,
  CrmKnowledgeOutbox1763950000000,
  ApiKeysAuditRunIndex1764100000000,
  Secrets1764250000000,
  KpisAlertsExperiments1764300000000,
  ChatTurnTimings1764350000000,
  KpiQuerySpeed1764400000000,
  OpenRunsUpkeepIndex1764450000000,
  SecretScopes1764550000000,
  ClosedRunsSweepIndex1764600000000,
];
