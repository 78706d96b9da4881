/** Small deterministic text helpers shared by rules and the validator. */

/** Lower-cases and strips diacritics, so "Canción" matches "cancion". Locale-independent. */
export function foldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Identifiers usable as variable names: `vars.<name>`. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
