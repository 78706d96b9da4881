import type { Pool } from 'pg';
import { z } from 'zod';

/** A text in the languages the editor speaks; a plain string is used for both. */
export type Localized = string | { es: string; en: string };

/** What a custom activity's `run` receives besides its input. */
export interface CustomActivityContext {
  /** Cauce's PostgreSQL (the built-in CRM, the knowledge base...). */
  db: Pool;
  /** A stored secret by name (never log or return it). */
  secret(name: string): Promise<string>;
  /** Same on every retry of one node visit: pass it to APIs that deduplicate requests. */
  idempotencyKey: string;
  runId: string;
  flowId: string;
  nodeId: string;
  customerId?: string;
}

export interface CustomActivity<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** The id: nodes use the type `activity:<name>`. Letters, digits, `_` and `-`, starting with a letter. */
  name: string;
  title: Localized;
  description?: Localized;
  /** Palette group, e.g. 'crm', 'integration' (default 'custom'). */
  category?: string;
  /** Input schema: validated before `run`; the editor builds the node's form from it. */
  input: I;
  /** Output schema: validated after `run`; readable in the flow as `nodes.<id>.output`. */
  output: O;
  /** Start-to-close timeout of one attempt, e.g. '10 seconds' (default 1 minute). */
  timeout?: string;
  run(input: z.infer<I>, context: CustomActivityContext): Promise<z.infer<O>>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const BRAND = Symbol.for('cauce.customActivity');

/**
 * Declares a custom activity. One file in `activities/custom/` with a default export of
 * `defineActivity({...})` is all it takes: the worker registers it, `GET /api/activities` lists it as
 * `activity:<name>` with its JSON Schemas, and the editor's palette shows it with a generated form.
 */
export function defineActivity<I extends z.ZodType, O extends z.ZodType>(definition: CustomActivity<I, O>): CustomActivity<I, O> {
  if (!NAME.test(definition.name)) {
    throw new Error(`defineActivity: name "${definition.name}" must start with a letter and use only letters, digits, "_" and "-" (max 64)`);
  }
  if (typeof definition.run !== 'function') throw new Error(`defineActivity("${definition.name}"): run must be a function`);
  return Object.assign(definition, { [BRAND]: true });
}

export function isCustomActivity(value: unknown): value is CustomActivity {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export { z };
