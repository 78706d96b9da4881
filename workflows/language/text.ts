/** Small deterministic text helpers shared by rules and the validator. */

/** Lower-cases and strips diacritics, so "Canción" matches "cancion". Locale-independent. */
export function foldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Names that reach an object's prototype instead of a property of its own: a variable or node
 * named `__proto__` would make `vars.isVip` true for rules while templates and the API show nothing.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);

/** Identifiers usable as variable names: `vars.<name>` (never a reserved name). */
export const IDENTIFIER = /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]*$/;
