/** Normalisation and validation of customer identifiers, shared by every CRM adapter. */

const EMAIL = /^[^\s@"'<>(),;:\\]+@[^\s@"'<>(),;:\\]+\.[^\s@"'<>(),;:\\]{2,}$/;

/** Lowercased, trimmed email, or null when it is not a plausible address. */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

/**
 * A phone number reduced to digits with an optional leading "+" ("00" becomes "+"): "+34 600-123 456"
 * -> "+34600123456". Null when what remains is not 6 to 15 digits (E.164's maximum) or the input has
 * letters. Numbers are compared in this form, so store and look them up the same way.
 */
export function normalizePhone(value: string): string | null {
  const trimmed = value.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/[\s().\-/]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const plus = digits.startsWith('+');
  const body = plus ? digits.slice(1) : digits;
  if (!/^\d{6,15}$/.test(body)) return null;
  return plus ? `+${body}` : body;
}

/** A tag: trimmed, 1 to 64 characters, no control characters. */
export function normalizeTag(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tag = value.trim();
  return tag.length >= 1 && tag.length <= 64 && !/[\u0000-\u001f]/.test(tag) ? tag : null;
}

export const CUSTOMER_ID_MAX = 200;

export function isValidCustomerId(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= CUSTOMER_ID_MAX;
}
