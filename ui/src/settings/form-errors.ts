/** The API's refusal of a new key (a 400), placed on the form's fields. */
import { ApiError } from '../api/client';

export const FIELDS = ['name', 'role', 'flowIds', 'rateLimit'] as const;
export type Field = (typeof FIELDS)[number];

export interface FormErrors {
  fields: Partial<Record<Field, string>>;
  /** Messages that name no field of the form. */
  other: string[];
}

/**
 * The API's validation messages of a 400, placed on the field each names (`rateLimit must be at
 * least 1`, `flowIds: no flow …`); null for any other error.
 */
export function formErrors(error: unknown): FormErrors | null {
  if (!(error instanceof ApiError) || error.status !== 400 || !error.body) return null;
  const details: unknown = error.body.details;
  const messages: string[] =
    Array.isArray(details) && details.length > 0 && details.every((d) => typeof d === 'string')
      ? details
      : Array.isArray(error.body.message)
        ? error.body.message
        : String(error.body.message ?? '').split('; ');
  const out: FormErrors = { fields: {}, other: [] };
  for (const message of messages.filter(Boolean)) {
    const word = /^([A-Za-z]+)/.exec(message)?.[1] as Field | undefined;
    if (word && FIELDS.includes(word)) out.fields[word] = out.fields[word] ? `${out.fields[word]}; ${message}` : message;
    else out.other.push(message);
  }
  return out;
}
