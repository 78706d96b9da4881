/**
 * Building blocks for node data schemas. Special fields carry a JSON Schema annotation
 * (`x-cauce-kind`) so the editor can render the right widget and the validator can find every
 * template, rule, duration, regex and cron expression without per-node code.
 */
import { z } from 'zod';
import { MAX_TEMPLATE_SOURCE } from '../liquid-engine';
import { IDENTIFIER } from '../text';

export const FIELD_KIND_KEY = 'x-cauce-kind';
export type FieldKind = 'template' | 'rule' | 'duration' | 'regex' | 'cron';

const kind = (k: FieldKind) => ({ [FIELD_KIND_KEY]: k });

/** A Liquid template, e.g. `Hola {{ customer.name }}`. */
export const template = (description: string) => z.string().max(MAX_TEMPLATE_SOURCE).meta(kind('template')).describe(description);

/** A JSON Logic operation object, e.g. `{"<": [{"var": "vars.attempts"}, 3]}`. */
export const rule = (description: string) => z.record(z.string(), z.unknown()).meta(kind('rule')).describe(description);

/** A duration such as `15m`, `2h`, `1h30m` or `PT2H` (100 ms to 365 days). */
export const duration = (description: string) => z.string().min(1).max(64).meta(kind('duration')).describe(description);

/** A regular expression (checked for safety). */
export const regex = (description: string) => z.string().min(1).max(200).meta(kind('regex')).describe(description);

/** A 5-field cron expression. */
export const cron = (description: string) => z.string().min(1).max(120).meta(kind('cron')).describe(description);

/** A variable name stored under `vars.<name>`: letters, digits and underscores, not starting with a digit. */
export const variableName = (description: string) => z.string().max(64).regex(IDENTIFIER).describe(description);

export const EVENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
/** A business event name such as `purchase.completed`. */
export const eventName = (description: string) => z.string().max(120).regex(EVENT_NAME).describe(description);

/** A branch name (edge `sourceHandle`). */
export const BRANCH_ID = /^\S(?:.*\S)?$/;
export const branchId = (description: string) => z.string().min(1).max(64).regex(BRANCH_ID).describe(description);

/** An ISO 8601 date or date-time. */
export const isoDate = (description: string) => z.string().max(40).meta({ format: 'date-time' }).describe(description);

export const MESSAGE_CHANNELS = ['chat', 'email', 'sms', 'whatsapp'] as const;
export const ALERT_CHANNELS = ['email', 'sms', 'slack', 'webhook'] as const;

/** Fields every node may carry. */
export const baseFields = {
  label: z.string().max(120).optional().describe('Display name shown in the editor and in validation messages'),
  notes: z.string().max(2000).optional().describe('Free notes for the flow authors; ignored at run time'),
};

/**
 * Options for `.superRefine`: run cross-field checks even when some fields already failed, so every
 * problem is reported at once. Refinements must therefore read their data defensively.
 */
export const ALWAYS = {
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/** A list that may be malformed (refinements run on unparsed data too). */
export function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

/** Adds a custom issue with a message in both languages (read by the validator). */
export function addIssue(ctx: z.RefinementCtx, path: (string | number)[], es: string, en: string): void {
  ctx.addIssue({ code: 'custom', path, message: en, params: { es, en } });
}

/** Reports duplicated or reserved ids in a list (branch names must be unique). */
export function checkUniqueIds(ctx: z.RefinementCtx, items: unknown, key: string, listPath: string, reserved: readonly string[] = []): void {
  const seen = new Set<string>();
  (Array.isArray(items) ? items : []).forEach((item, i) => {
    const id = (item as Record<string, unknown> | null)?.[key];
    if (typeof id !== 'string') return;
    if (reserved.includes(id)) {
      addIssue(ctx, [listPath, i, key], `«${id}» es un nombre reservado; usa otro.`, `“${id}” is a reserved name; use another one.`);
    } else if (seen.has(id)) {
      addIssue(ctx, [listPath, i, key], `«${id}» está repetido; cada valor debe ser único.`, `“${id}” is repeated; each value must be unique.`);
    }
    seen.add(id);
  });
}
