import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Reads a key kept in the data folder, creating it on first start (mode 0600). */
export function readOrCreateKey(dataDir: string, file: string, make: () => string): { value: string; created: boolean } {
  const full = path.join(dataDir, file);
  if (fs.existsSync(full)) return { value: fs.readFileSync(full, 'utf8').trim(), created: false };
  fs.mkdirSync(dataDir, { recursive: true });
  const value = make();
  fs.writeFileSync(full, value + '\n', { mode: 0o600 });
  return { value, created: true };
}

export const newAdminKey = () => `cauce_admin_${crypto.randomBytes(24).toString('base64url')}`;
export const newSecretsKey = () => crypto.randomBytes(32).toString('hex');
