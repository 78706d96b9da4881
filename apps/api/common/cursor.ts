import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** Opaque page cursors: base64url JSON (or bytes), so clients never build them. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw new BadRequestException('cursor is not a cursor this API returned');
}

/*
 * Byte cursors carry another system's page token (Temporal's), which answers a malformed token with
 * an opaque server error. A short digest appended to the token lets the API refuse, with a 400, any
 * cursor it did not issue before passing it on. Not a secret: any API instance can check it.
 */
const CHECK_BYTES = 8;
const check = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest().subarray(0, CHECK_BYTES);

export function encodeBytesCursor(bytes: Uint8Array): string {
  return Buffer.concat([Buffer.from(bytes), check(bytes)]).toString('base64url');
}

export function decodeBytesCursor(cursor: string): Uint8Array {
  const raw = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  const token = raw.subarray(0, raw.length - CHECK_BYTES);
  if (raw.length <= CHECK_BYTES || !check(token).equals(raw.subarray(raw.length - CHECK_BYTES))) {
    throw new BadRequestException('cursor is not a cursor this API returned');
  }
  return token;
}
