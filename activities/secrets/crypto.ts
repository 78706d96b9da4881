import * as crypto from 'node:crypto';

/**
 * AES-256-GCM for stored secrets. Each value is encrypted with a fresh random 96-bit IV under the
 * 32-byte `SECRETS_KEY`; the secret's name is the additional authenticated data, so a ciphertext
 * copied onto another row (another name) fails to decrypt just like an altered one. The 128-bit
 * GCM tag is kept beside the ciphertext.
 */
export interface EncryptedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** A bad `SECRETS_KEY`. The message never contains the key. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

/**
 * A secret that could not be decrypted: `SECRETS_KEY` is not the key it was stored with, or the row
 * was altered. GCM cannot tell the two apart; either way no retry helps.
 */
export class SecretDecryptionError extends Error {
  constructor(readonly secretName: string) {
    super(`the stored secret "${secretName}" could not be decrypted: SECRETS_KEY is not the key it was stored with, or the stored row was altered`);
    this.name = 'SecretDecryptionError';
  }
}

/** `SECRETS_KEY` as 32 bytes: 64 hex characters, or base64 (standard or url-safe) of 32 bytes. */
export function parseSecretsKey(key: string | Buffer): Buffer {
  if (Buffer.isBuffer(key)) {
    if (key.length !== 32) throw new SecretsKeyError(`SECRETS_KEY must be 32 bytes, got ${key.length}`);
    return Buffer.from(key);
  }
  const text = String(key ?? '').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new SecretsKeyError('SECRETS_KEY must be 32 bytes, as 64 hex characters or base64');
}

export function encryptSecret(key: Buffer, name: string, value: string): EncryptedSecret {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function decryptSecret(key: Buffer, name: string, encrypted: EncryptedSecret): string {
  try {
    if (encrypted.iv.length !== IV_BYTES || encrypted.tag.length !== TAG_BYTES) throw new Error('bad iv or tag length');
    const decipher = crypto.createDecipheriv(ALGORITHM, key, encrypted.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(encrypted.tag);
    return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // Node's own message ("Unsupported state or unable to authenticate data") says nothing useful.
    throw new SecretDecryptionError(name);
  }
}
