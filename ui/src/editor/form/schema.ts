/**
 * What the generated form reads from a node's JSON Schema: the kind of each field (its type, or
 * its `x-cauce-kind` marker), the value a freshly added field starts with, and the problems that
 * name a field's path.
 */
import { FIELD_KIND_KEY, type FlowProblem, type JsonSchema } from '../../../../workflows/language';
import type { ScopeVariable } from './scope';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FormContext {
  problems: FlowProblem[];
  variables: ScopeVariable[];
  /** String inputs of custom activities are Liquid templates even without the schema marker. */
  templatesByDefault?: boolean;
  readOnly?: boolean;
}

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

export function schemaType(schema: JsonSchema): SchemaType {
  const t = schema.type;
  const type = Array.isArray(t) ? t.find((x) => x !== 'null') : t;
  if (typeof type === 'string' && ['string', 'number', 'integer', 'boolean', 'object', 'array'].includes(type)) return type as SchemaType;
  if (Array.isArray(schema.enum)) return 'string';
  if (isObj(schema.properties) || isObj(schema.additionalProperties)) return 'object';
  return 'any';
}

/** The `x-cauce-kind` marker: template, rule, duration, cron or regex. */
export const kindOf = (schema: JsonSchema) => schema[FIELD_KIND_KEY] as string | undefined;

/** A value for a freshly added field or list item. */
export function defaultFor(schema: JsonSchema, siblings: unknown[] = [], key = ''): unknown {
  if (schema.default !== undefined) return JSON.parse(JSON.stringify(schema.default));
  const kind = kindOf(schema);
  if (kind === 'rule') return { '==': [{ var: 'last.text' }, ''] };
  if (kind === 'duration') return '15m';
  switch (schemaType(schema)) {
    case 'string':
      return Array.isArray(schema.enum) ? schema.enum[0] : '';
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' && schema.minimum > -1e9 ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Obj = {};
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (schema.required as string[] | undefined) ?? []) {
        const prop = props[name];
        if (!prop) continue;
        // Ids and values of list items name branches: give each a distinct one.
        if ((name === 'id' || name === 'value') && schemaType(prop) === 'string' && !Array.isArray(prop.enum)) {
          const base = key.replace(/s$/, '') || 'item';
          const taken = new Set(siblings.map((s) => (isObj(s) ? s[name] : undefined)));
          let n = siblings.length + 1;
          while (taken.has(`${base}${n}`)) n++;
          out[name] = `${base}${n}`;
        } else {
          out[name] = defaultFor(prop);
        }
      }
      return out;
    }
    default:
      return '';
  }
}

/** The problems whose `field` path is exactly this one. */
export function problemsAt(ctx: FormContext, path: string): FlowProblem[] {
  return ctx.problems.filter((p) => (p.field ?? '') === path);
}

/** What a generated field gets: its name and path in the node's data, its schema and value. */
export interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  onRemove?: () => void;
  required?: boolean;
  ctx: FormContext;
  label?: string;
}
