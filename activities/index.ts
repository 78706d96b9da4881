import type { Pool } from 'pg';
import type { FlowActivities } from '../contracts/activities';
import { createAiActivities } from './ai/ai.activities';
import type { AiEngine } from './ai/engine';
import type { KnowledgeBase } from './ai/knowledge';
import { createPgKnowledgeBase } from './ai/pg-knowledge';
import { withOfflineFallback } from './ai/fallback-engine';
import { createOfflineAiEngine } from './ai/offline/engine';
import { createOpenAiEngine, openAiOptionsFromEnv } from './ai/openai/engine';
import { createCrmActivities } from './crm/crm.activities';
import type { CrmAdapter } from './crm/crm-adapter';
import { createPgCrm } from './crm/pg-crm';
import { createHubSpotCrm, hubSpotOptionsFromEnv } from './crm/hubspot';
import { createFlowActivities } from './flows/flows.activities';
import { createHttpActivities, DEFAULT_MAX_RESPONSE_BYTES } from './http/http.activities';
import { createEnvSecretResolver, SecretResolver } from './http/secrets';
import { createNotifyActivities } from './notify/notify.activities';
import type { NotificationProvider, NotifyChannel } from './notify/provider';
import { notificationProvidersFromEnv } from './notify/providers-from-env';
import { createRunEventActivities } from './run-events/run-events.activities';
import { createExperimentActivities } from './experiments/experiments.activities';
import { createScoringActivities } from './scoring/scoring.activities';
import { chainSecretResolvers, createPgSecretResolver } from './secrets/secret-store';
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
export { createSmtpProvider } from './notify/smtp-provider';
export type { SmtpProviderOptions } from './notify/smtp-provider';
export { createSlackProvider } from './notify/slack-provider';
export type { SlackProviderOptions } from './notify/slack-provider';
export { createTwilioProvider } from './notify/twilio-provider';
export type { TwilioProviderOptions } from './notify/twilio-provider';
export { notificationProvidersFromEnv } from './notify/providers-from-env';
export { createHubSpotCrm, hubSpotOptionsFromEnv } from './crm/hubspot';
export type { HubSpotCrmOptions } from './crm/hubspot';
export { createOpenAiEngine, openAiOptionsFromEnv } from './ai/openai/engine';
export type { OpenAiEngineOptions } from './ai/openai/engine';
export { importMarkdown, splitMarkdown } from './ai/knowledge-import';
export type { ImportedArticle, KnowledgeImportResult, MarkdownFile } from './ai/knowledge-import';
export { chainSecretResolvers, createPgSecretResolver, createPgSecretStore, InvalidSecretError, SECRET_NAME } from './secrets/secret-store';
export type { SecretInfo, SecretStore } from './secrets/secret-store';
export { parseSecretsKey, SecretDecryptionError, SecretsKeyError } from './secrets/crypto';
export { createScoringActivities } from './scoring/scoring.activities';
export { defineActivity } from './custom/sdk';
export type { CustomActivity, CustomActivityContext } from './custom/sdk';
export { customActivityCatalog, customActivityImplementations, loadCustomActivities } from './custom/registry';

/**
 * The clients and configuration activities are built from. Only `pool` is required:
 * `createActivities({ pool })` gives the PostgreSQL knowledge base and CRM, the offline AI,
 * outbox-only notifications and secrets from `CAUCE_SECRET_<NAME>` variables, with HTTP calls refused
 * to private networks. The environment turns on the real providers (activities/README.md):
 * `OPENAI_API_KEY` the LLM engine, `CRM_PROVIDER=hubspot` HubSpot, `SMTP_URL` / `SLACK_WEBHOOK_URL` /
 * `TWILIO_*` / `CAUCE_WEBHOOK_SIGNING_SECRET` the notification providers, `SECRETS_KEY` the encrypted
 * secrets table. Anything passed in `deps` wins over the environment.
 */
export interface ActivityDeps {
  pool: Pool;
  /** Configuration variables (default `process.env`); see activities/README.md. */
  env?: Record<string, string | undefined>;
  /** Default: `createPgKnowledgeBase(pool)`. */
  knowledge?: KnowledgeBase;
  /** Default: the OpenAI engine when `OPENAI_API_KEY` is set, else the offline engine. */
  aiEngine?: AiEngine;
  /** Default: HubSpot when `CRM_PROVIDER=hubspot`, else `createPgCrm(pool)`. */
  crm?: CrmAdapter;
  /** Delivery per channel (over the ones the environment configures); channels without a provider stay pending in the outbox. */
  notificationProviders?: Partial<Record<NotifyChannel, NotificationProvider>>;
  /** Default: with `SECRETS_KEY`, the encrypted `secrets` table then `CAUCE_SECRET_<NAME>`; without, `createEnvSecretResolver(env)`. */
  secrets?: SecretResolver;
  /** Let http, webhook, Slack, Twilio and HubSpot calls reach loopback and private networks. Default: `CAUCE_ALLOW_PRIVATE_NETWORKS`, else false. */
  allowPrivateNetworks?: boolean;
  /** Default: `CAUCE_HTTP_MAX_RESPONSE_BYTES`, else 1 MiB. */
  maxResponseBytes?: number;
  /** Custom activities, registered as `custom.<name>`. Default: every file in activities/custom/. */
  customActivities?: CustomActivity[];
}

const truthy = (value: string | undefined) => /^(1|true|yes|on)$/i.test(value?.trim() ?? '');

/** With `SECRETS_KEY`: the encrypted `secrets` table, then `CAUCE_SECRET_<NAME>`; without: the environment only. */
function defaultSecretResolver(pool: Pool, env: Record<string, string | undefined>): SecretResolver {
  const key = env.SECRETS_KEY?.trim();
  return key ? chainSecretResolvers(createPgSecretResolver(pool, key), createEnvSecretResolver(env)) : createEnvSecretResolver(env);
}

/** `CRM_PROVIDER`: unset or `postgres` the built-in CRM, `hubspot` HubSpot; anything else is a configuration error. */
function crmFromEnv(pool: Pool, env: Record<string, string | undefined>, secrets: SecretResolver, allowPrivateNetworks: boolean): CrmAdapter {
  const provider = (env.CRM_PROVIDER?.trim() || 'postgres').toLowerCase();
  if (provider === 'postgres') return createPgCrm(pool);
  if (provider === 'hubspot') return createHubSpotCrm({ ...hubSpotOptionsFromEnv(env), secrets, allowPrivateNetworks });
  throw new Error(`Invalid configuration: CRM_PROVIDER must be postgres or hubspot, got "${env.CRM_PROVIDER}"`);
}

/**
 * The environment, secrets and notification providers the activities are built with: shared by
 * `createActivities` and the upkeep jobs (upkeep/index.ts), so an alert and an outbox resend
 * deliver through the same providers as a flow's notify node.
 */
export function notificationSetupOf(deps: ActivityDeps) {
  const env = deps.env ?? process.env;
  const allowPrivateNetworks = deps.allowPrivateNetworks ?? truthy(env.CAUCE_ALLOW_PRIVATE_NETWORKS);
  const secrets = deps.secrets ?? defaultSecretResolver(deps.pool, env);
  const providers: Partial<Record<NotifyChannel, NotificationProvider>> = {
    ...notificationProvidersFromEnv(env, { secrets, allowPrivateNetworks }),
    ...deps.notificationProviders,
  };
  return { env, allowPrivateNetworks, secrets, providers };
}

/** Every activity a flow may call, built from the clients it is given (the worker adds the upkeep jobs', upkeep/index.ts). */
export function createActivities(deps: ActivityDeps) {
  const { env, allowPrivateNetworks, secrets, providers } = notificationSetupOf(deps);
  const configuredMax = Number(env.CAUCE_HTTP_MAX_RESPONSE_BYTES);
  const maxResponseBytes = deps.maxResponseBytes ?? (Number.isInteger(configuredMax) && configuredMax > 0 ? configuredMax : DEFAULT_MAX_RESPONSE_BYTES);

  const knowledge = deps.knowledge ?? createPgKnowledgeBase(deps.pool);
  const openAi = deps.aiEngine ? undefined : openAiOptionsFromEnv(env);
  const aiEngine =
    deps.aiEngine ?? (openAi ? withOfflineFallback(createOpenAiEngine({ ...openAi, knowledge }), createOfflineAiEngine({ knowledge })) : undefined);
  const crm = deps.crm ?? crmFromEnv(deps.pool, env, secrets, allowPrivateNetworks);

  const activities = {
    ...createRunEventActivities({ pool: deps.pool }),
    ...createFlowActivities({ pool: deps.pool }),
    ...createAiActivities({ knowledge, engine: aiEngine }),
    ...createCrmActivities({ crm }),
    ...createNotifyActivities({ pool: deps.pool, providers }),
    ...createHttpActivities({ secrets, allowPrivateNetworks, maxResponseBytes }),
    ...createScoringActivities(),
    ...createExperimentActivities({ pool: deps.pool }),
  } satisfies FlowActivities;
  const custom = customActivityImplementations(deps.customActivities ?? loadCustomActivities(), { pool: deps.pool, secrets });
  return { ...custom, ...activities };
}

export type CauceActivities = ReturnType<typeof createActivities>;

// Compile-time check: the worker registers every activity the interpreter may call, with its types.
type Assert<T extends true> = T;
export type CauceActivitiesImplementFlowActivities = Assert<CauceActivities extends FlowActivities ? true : false>;
