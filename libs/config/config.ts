import * as path from 'node:path';

/**
 * Cauce is configured by environment variables only (see README and .env.example).
 * Every variable is parsed here, once, so a bad value fails at start with a message that names it.
 */
import { kpiRefreshIntervalMs } from './kpi-refresh';
import { checkRequestLimits } from './request-limits';

export interface CauceConfig {
  port: number;
  dataDir: string;
  adminKey?: string;
  databaseUrl?: string;
  temporal: { address?: string; namespace: string; cli?: string; taskQueue: string };
  openai: { apiKey?: string; baseUrl?: string; model: string };
  secretsKey?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the worker refreshes the KPI facts (ms; null: off). `CAUCE_KPI_REFRESH_INTERVAL`, libs/config/kpi-refresh.ts. */
  kpiRefreshIntervalMs: number | null;
  /** `CAUCE_DEMO` (on unless `off`): `npm start` seeds the example flows and help centre into an empty install. */
  demo: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parsePort(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a TCP port number (1-65535), got "${raw}"`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new ConfigError(name, `must be between 1 and 65535, got ${port}`);
  return port;
}

function parseUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL such as ${protocols[0]}//host:port/..., got "${redact(raw)}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw;
}

function parseHostPort(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  const match = /^([A-Za-z0-9.\-_]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(raw);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new ConfigError(name, `must be host:port (for example 127.0.0.1:7233), got "${raw}"`);
  }
  return raw;
}

/** Hides the password of a connection string before it is printed. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): CauceConfig {
  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? 'info') as CauceConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of debug, info, warn, error; got "${logLevel}"`);
  }
  const adminKey = nonEmpty(env, 'CAUCE_ADMIN_KEY');
  if (adminKey !== undefined && adminKey.length < 16) {
    throw new ConfigError('CAUCE_ADMIN_KEY', 'must be at least 16 characters long');
  }
  const secretsKey = nonEmpty(env, 'SECRETS_KEY');
  if (secretsKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretsKey) && Buffer.from(secretsKey, 'base64').length !== 32) {
    throw new ConfigError('SECRETS_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }
  checkRequestLimits(env);
  const demo = (nonEmpty(env, 'CAUCE_DEMO') ?? 'on').toLowerCase();
  if (demo !== 'on' && demo !== 'off') throw new ConfigError('CAUCE_DEMO', `must be on or off; got "${demo}"`);
  const namespace = nonEmpty(env, 'TEMPORAL_NAMESPACE') ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(namespace)) {
    throw new ConfigError('TEMPORAL_NAMESPACE', `is not a valid namespace name: "${namespace}"`);
  }
  return {
    port: parsePort(env, 'PORT', 3000),
    dataDir: path.resolve(cwd, nonEmpty(env, 'CAUCE_DATA_DIR') ?? '.data'),
    demo: demo === 'on',
    adminKey,
    databaseUrl: parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    temporal: {
      address: parseHostPort(env, 'TEMPORAL_ADDRESS'),
      namespace,
      cli: nonEmpty(env, 'TEMPORAL_CLI'),
      taskQueue: nonEmpty(env, 'TEMPORAL_TASK_QUEUE') ?? 'cauce-flows',
    },
    openai: {
      apiKey: nonEmpty(env, 'OPENAI_API_KEY'),
      baseUrl: parseUrl(env, 'OPENAI_BASE_URL', ['http:', 'https:']),
      model: nonEmpty(env, 'OPENAI_MODEL') ?? 'gpt-4o-mini',
    },
    secretsKey,
    logLevel,
    kpiRefreshIntervalMs: kpiRefreshIntervalMs(env),
  };
}

/** Config for a process that needs both servers already running (the API and the worker). */
export function requireConnections(config: CauceConfig): { databaseUrl: string; temporalAddress: string } {
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required for this process; `npm start` sets it when it runs the embedded PostgreSQL');
  }
  if (!config.temporal.address) {
    throw new ConfigError('TEMPORAL_ADDRESS', 'is required for this process; `npm start` sets it when it runs the embedded Temporal server');
  }
  return { databaseUrl: config.databaseUrl, temporalAddress: config.temporal.address };
}
