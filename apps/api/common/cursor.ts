import { BadRequestException } from '@nestjs/common';

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

export function encodeBytesCursor(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function decodeBytesCursor(cursor: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadRequestException('cursor is not a cursor this API returned');
  return Buffer.from(cursor, 'base64url');
}
