import { createHttpActivities, redact } from './http.activities';
import { createEnvSecretResolver, secretEnvName } from './secrets';

const ctx = { runId: 'r', flowId: 'f', nodeId: 'n', idempotencyKey: 'r:n:1' };

describe('httpRequest: checks before any network', () => {
  const http = createHttpActivities({ secrets: createEnvSecretResolver({ CAUCE_SECRET_CRM_TOKEN: 'tok-123456' }) });

  it('refuses loopback, private and metadata URLs non-retryably', async () => {
    for (const url of ['http://127.0.0.1:1/x', 'http://localhost/x', 'http://192.168.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/']) {
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
    await expect(missing).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('"nope"') });
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
