import * as path from 'node:path';
import { ConfigError, loadConfig, redact, requireConnections } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({}, '/srv/cauce');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('/srv/cauce/.data'));
    expect(config.temporal).toEqual({ address: undefined, namespace: 'default', cli: undefined, taskQueue: 'cauce-flows' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.demo).toBe(true);
    expect(loadConfig({ CAUCE_DEMO: 'OFF' }, '/srv/cauce').demo).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        CAUCE_DATA_DIR: '/var/lib/cauce',
        CAUCE_ADMIN_KEY: 'a-very-long-admin-key',
        DATABASE_URL: 'postgres://u:p@db:5432/cauce',
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_NAMESPACE: 'cx-prod',
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_MODEL: 'llama3',
        SECRETS_KEY: 'a'.repeat(64),
      },
      '/',
    );
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/cauce',
      adminKey: 'a-very-long-admin-key',
      databaseUrl: 'postgres://u:p@db:5432/cauce',
      temporal: { address: 'temporal:7233', namespace: 'cx-prod' },
      openai: { apiKey: 'sk-x', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3' },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://db/cauce' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'http://temporal' }, 'TEMPORAL_ADDRESS'],
    [{ TEMPORAL_NAMESPACE: 'bad namespace!' }, 'TEMPORAL_NAMESPACE'],
    [{ OPENAI_BASE_URL: 'ftp://x' }, 'OPENAI_BASE_URL'],
    [{ CAUCE_ADMIN_KEY: 'short' }, 'CAUCE_ADMIN_KEY'],
    [{ SECRETS_KEY: 'too-short' }, 'SECRETS_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CAUCE_DEMO: 'maybe' }, 'CAUCE_DEMO'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(variable);
  });

  it('never prints a database password', () => {
    expect(redact('postgres://cauce:s3cret@db:5432/cauce')).toBe('postgres://cauce:***@db:5432/cauce');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:s3cret@db/x' })).toThrow(/^(?!.*s3cret)/s);
  });

  it('requires both connections for the API and the worker', () => {
    expect(() => requireConnections(loadConfig({}))).toThrow(/DATABASE_URL/);
    expect(() => requireConnections(loadConfig({ DATABASE_URL: 'postgres://x/y' }))).toThrow(/TEMPORAL_ADDRESS/);
  });

  it.each([
    ['CAUCE_RATE_LIMIT', 'fast'],
    ['CAUCE_IP_RATE_LIMIT', '-5'],
    ['CAUCE_IP_KEY_LOOKUP_LIMIT', 'lots'],
    ['CAUCE_TRUST_PROXY', 'true'],
    ['CAUCE_TRUST_PROXY', 'my-proxy.example.com'],
  ])('refuses %s=%j at start, naming it (so the launcher stops instead of the API restarting in a loop)', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid configuration: ${name}`));
  });

  it('accepts the request limits in their documented forms', () => {
    expect(() =>
      loadConfig({ CAUCE_RATE_LIMIT: '200', CAUCE_IP_RATE_LIMIT: 'off', CAUCE_IP_KEY_LOOKUP_LIMIT: '0', CAUCE_TRUST_PROXY: '10.0.0.0/8,loopback' }),
    ).not.toThrow();
  });
});

describe('CAUCE_KPI_REFRESH_INTERVAL', () => {
  it('defaults to 5 s, takes durations and off, and refuses the rest naming the variable', () => {
    expect(loadConfig({}).kpiRefreshIntervalMs).toBe(5000);
    expect(loadConfig({ CAUCE_KPI_REFRESH_INTERVAL: '30s' }).kpiRefreshIntervalMs).toBe(30_000);
    expect(loadConfig({ CAUCE_KPI_REFRESH_INTERVAL: '2m' }).kpiRefreshIntervalMs).toBe(120_000);
    expect(loadConfig({ CAUCE_KPI_REFRESH_INTERVAL: 'off' }).kpiRefreshIntervalMs).toBeNull();
    expect(() => loadConfig({ CAUCE_KPI_REFRESH_INTERVAL: 'often' })).toThrow(/CAUCE_KPI_REFRESH_INTERVAL must be a duration/);
    expect(() => loadConfig({ CAUCE_KPI_REFRESH_INTERVAL: '0.5s' })).toThrow(/CAUCE_KPI_REFRESH_INTERVAL must be at least 1s/);
  });
});
