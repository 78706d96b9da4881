import * as crypto from 'node:crypto';
import { decryptSecret, encryptSecret, parseSecretsKey, SecretDecryptionError, SecretsKeyError } from './crypto';

describe('secrets crypto (AES-256-GCM)', () => {
  const key = crypto.randomBytes(32);

  it('reads SECRETS_KEY as 64 hex characters or base64 of 32 bytes', () => {
    expect(parseSecretsKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretsKey(key.toString('hex').toUpperCase())).toEqual(key);
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretsKey(key.toString('base64url'))).toEqual(key);
    expect(parseSecretsKey(` ${key.toString('hex')}\n`)).toEqual(key);
    for (const bad of ['', 'too-short', 'ab'.repeat(31), crypto.randomBytes(16).toString('base64'), 'zz'.repeat(32)]) {
      expect(() => parseSecretsKey(bad)).toThrow(SecretsKeyError);
    }
    // The message never echoes the key.
    expect(() => parseSecretsKey('not-a-key-but-secret-looking')).toThrow(/^SECRETS_KEY must be 32 bytes/);
  });

  it('round-trips, with a fresh IV each time and no clear text in the ciphertext', () => {
    const a = encryptSecret(key, 'crm-token', 'pat-na1-0123456789');
    const b = encryptSecret(key, 'crm-token', 'pat-na1-0123456789');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('0123456789');
    expect(decryptSecret(key, 'crm-token', a)).toBe('pat-na1-0123456789');
    expect(decryptSecret(key, 'ñ', encryptSecret(key, 'ñ', 'contraseña ✓'))).toBe('contraseña ✓');
  });

  it('fails on a wrong key, an altered ciphertext, IV or tag, or a row moved to another name', () => {
    const sealed = encryptSecret(key, 'crm-token', 'value-1234');
    expect(() => decryptSecret(crypto.randomBytes(32), 'crm-token', sealed)).toThrow(SecretDecryptionError);
    const flip = (buf: Buffer, i = 0) => {
      const copy = Buffer.from(buf);
      copy[i] ^= 1;
      return copy;
    };
    expect(() => decryptSecret(key, 'crm-token', { ...sealed, ciphertext: flip(sealed.ciphertext) })).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, 'crm-token', { ...sealed, iv: flip(sealed.iv) })).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, 'crm-token', { ...sealed, tag: flip(sealed.tag, 15) })).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, 'other-name', sealed)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, 'crm-token', { ...sealed, tag: sealed.tag.subarray(0, 8) })).toThrow(SecretDecryptionError);
    try {
      decryptSecret(crypto.randomBytes(32), 'crm-token', sealed);
    } catch (err) {
      expect((err as Error).message).toContain('SECRETS_KEY');
      expect((err as Error).message).not.toContain('value-1234');
    }
  });
});
