import type { Pool } from 'pg';
import type { FlowActivities } from './contracts';
import { createAiActivities } from './ai/ai.activities';
import type { AiEngine } from './ai/engine';
import type { KnowledgeBase } from './ai/knowledge';
import { createPgKnowledgeBase } from './ai/pg-knowledge';
import { createCrmActivities } from './crm/crm.activities';
import type { CrmAdapter } from './crm/crm-adapter';
import { createPgCrm } from './crm/pg-crm';
import { createFlowActivities } from './flows/flows.activities';
import { createHttpActivities, DEFAULT_MAX_RESPONSE_BYTES } from './http/http.activities';
import { createEnvSecretResolver, SecretResolver } from './http/secrets';
import { createNotifyActivities } from './notify/notify.activities';
import type { NotificationProvider, NotifyChannel } from './notify/provider';
import { createWebhookProvider } from './notify/webhook-provider';
import { createRunEventActivities } from './run-events/run-events.activities';
import { createScoringActivities } from './scoring/scoring.activities';
import { customActivityImplementations, loadCustomActivities } from './custom/registry';
import type { CustomActivity } from './custom/sdk';

export { createAiActivities } from './ai/ai.activities';
export type { AiEngine } from './ai/engine';
export { createOfflineAiEngine } from './ai/offline/engine';
export { createStaticKnowledgeBase } from './ai/knowledge';
export type { KnowledgeArticle, KnowledgeBase, KnowledgeHit } from './ai/knowledge';
export { createPgKnowledgeBase } from './ai/pg-knowledge';
export { createCrmActivities } from './crm/crm.activities';
export type { CrmAdapter } from './crm/crm-adapter';
export { createPgCrm } from './crm/pg-crm';
export { createFlowActivities } from './flows/flows.activities';
export { createHttpActivities } from './http/http.activities';
export { createEnvSecretResolver } from './http/secrets';
export type { SecretResolver } from './http/secrets';
export { createNotifyActivities } from './notify/notify.activities';
export type { NotificationProvider, NotifyChannel } from './notify/provider';
export { signWebhook, verifyWebhook } from './notify/signing';
export { createWebhookProvider } from './notify/webhook-provider';
export { createScoringActivities } from './scoring/scoring.activities';
export { defineActivity } from './custom/sdk';
export type { CustomActivity, CustomActivityContext } from './custom/sdk';
export { customActivityCatalog, customActivityImplementations, loadCustomActivities } from './custom/registry';

/**
 * The clients and configuration activities are built from. Only `pool` is required:
 * `createActivities({ pool })` gives the PostgreSQL knowledge base and CRM, the offline AI,
 * outbox-only notifications (plus the webhook provider when `CAUCE_WEBHOOK_SIGNING_SECRET` is set),
 * secrets from `CAUCE_SECRET_<NAME>` variables and HTTP calls refused to private networks.
 */
export interface ActivityDeps {
  pool: Pool;
  /** Configuration variables (default `process.env`); see activities/README.md. */
  env?: Record<string, string | undefined>;
  /** Default: `createPgKnowledgeBase(pool)`. */
  knowledge?: KnowledgeBase;
  /** Default: the offline engine. */
  aiEngine?: AiEngine;
  /** Default: `createPgCrm(pool)`. */
  crm?: CrmAdapter;
  /** Delivery per channel; channels without a provider stay pending in the outbox. */
  notificationProviders?: Partial<Record<NotifyChannel, NotificationProvider>>;
  /** Default: `createEnvSecretResolver(env)`. */
  secrets?: SecretResolver;
  /** Let http and webhook calls reach loopback and private networks. Default: `CAUCE_ALLOW_PRIVATE_NETWORKS`, else false. */
  allowPrivateNetworks?: boolean;
  /** Default: `CAUCE_HTTP_MAX_RESPONSE_BYTES`, else 1 MiB. */
  maxResponseBytes?: number;
  /** Custom activities, registered as `custom.<name>`. Default: every file in activities/custom/. */
  customActivities?: CustomActivity[];
}

const truthy = (value: string | undefined) => /^(1|true|yes|on)$/i.test(value?.trim() ?? '');

/** Every activity the worker registers, built from the clients it is given. */
export function createActivities(deps: ActivityDeps) {
  const env = deps.env ?? process.env;
  const allowPrivateNetworks = deps.allowPrivateNetworks ?? truthy(env.CAUCE_ALLOW_PRIVATE_NETWORKS);
  const configuredMax = Number(env.CAUCE_HTTP_MAX_RESPONSE_BYTES);
  const maxResponseBytes = deps.maxResponseBytes ?? (Number.isInteger(configuredMax) && configuredMax > 0 ? configuredMax : DEFAULT_MAX_RESPONSE_BYTES);

  const providers: Partial<Record<NotifyChannel, NotificationProvider>> = { ...deps.notificationProviders };
  const signingSecret = env.CAUCE_WEBHOOK_SIGNING_SECRET;
  if (!providers.webhook && signingSecret) providers.webhook = createWebhookProvider({ signingSecret, allowPrivateNetworks });

  const secrets = deps.secrets ?? createEnvSecretResolver(env);
  const activities = {
    ...createRunEventActivities({ pool: deps.pool }),
    ...createFlowActivities({ pool: deps.pool }),
    ...createAiActivities({ knowledge: deps.knowledge ?? createPgKnowledgeBase(deps.pool), engine: deps.aiEngine }),
    ...createCrmActivities({ crm: deps.crm ?? createPgCrm(deps.pool) }),
    ...createNotifyActivities({ pool: deps.pool, providers }),
    ...createHttpActivities({ secrets, allowPrivateNetworks, maxResponseBytes }),
    ...createScoringActivities(),
  } satisfies FlowActivities;
  const custom = customActivityImplementations(deps.customActivities ?? loadCustomActivities(), { pool: deps.pool, secrets });
  return { ...custom, ...activities };
}

export type CauceActivities = ReturnType<typeof createActivities>;

// Compile-time check: the worker registers every activity the interpreter may call, with its types.
type Assert<T extends true> = T;
export type CauceActivitiesImplementFlowActivities = Assert<CauceActivities extends FlowActivities ? true : false>;
