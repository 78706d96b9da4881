import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine runs here, but the Compose CLI validates the file without one: `docker compose
 * config` (the v2 plugin) or `docker-compose config` (Debian's package, which .ci/run installs).
 */
const root = path.resolve(__dirname, '..');
const env = { ...process.env, CAUCE_ADMIN_KEY: 'compose-check-admin-key', SECRETS_KEY: 'ab'.repeat(32) };

const hasPlugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;

function compose(args: string[], extraEnv: Record<string, string> = {}) {
  const options = { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8' as const };
  return hasPlugin ? spawnSync('docker', ['compose', ...args], options) : spawnSync('docker-compose', args, options);
}

describe('docker-compose.yml', () => {
  it('is valid for the Compose CLI', () => {
    const result = compose(['-f', 'docker-compose.yml', 'config']);
    if (result.error) throw new Error(`no Compose CLI found (install docker-compose): ${result.error.message}`);
    expect(result.stderr).not.toMatch(/invalid|error/i);
    expect(result.status).toBe(0);

    const config = parse(result.stdout);
    expect(Object.keys(config.services).sort()).toEqual(['api', 'migrate', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    // Temporal persists to PostgreSQL, not to its in-memory default.
    expect(config.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    for (const name of ['postgresql', 'temporal', 'api', 'worker']) expect(config.services[name].healthcheck).toBeDefined();
    expect(config.services.api.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      temporal: { condition: 'service_healthy' },
    });
    expect(config.services.worker.depends_on.temporal).toEqual({ condition: 'service_healthy' });
    expect(config.services.api.environment.DATABASE_URL).toMatch(/^postgres:\/\/cauce:.*@postgresql:5432\/cauce$/);
    expect(config.services.worker.build.target).toBe('worker');
  });

  it('refuses to run without the admin key, naming it', () => {
    const result = compose(['-f', 'docker-compose.yml', 'config', '-q'], { CAUCE_ADMIN_KEY: '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('CAUCE_ADMIN_KEY');
  });
});
