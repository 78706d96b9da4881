/**
 * Walks node data alongside its JSON Schema to find annotated fields (templates, rules, durations,
 * regexes, cron expressions) and keys the schema does not know.
 */
import { FIELD_KIND_KEY, type FieldKind } from '../nodes/fields';
import { isPlainObject } from '../text';
import type { JsonSchema } from '../types';

export interface KindedField {
  kind: FieldKind;
  path: string;
  value: unknown;
}

export interface WalkResult {
  fields: KindedField[];
  unknownKeys: string[];
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function walk(schema: unknown, value: unknown, path: string, out: WalkResult, seen: Set<string>): void {
  if (!isPlainObject(schema) || value === undefined) return;
  const kind = schema[FIELD_KIND_KEY];
  if (typeof kind === 'string') {
    const key = `${kind}@${path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.fields.push({ kind: kind as FieldKind, path, value });
    }
    return;
  }
  for (const alternative of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[alternative];
    if (Array.isArray(options)) options.forEach((option) => walk(option, value, path, out, seen));
  }
  if (Array.isArray(value)) {
    if (isPlainObject(schema.items)) value.forEach((item, i) => walk(schema.items, item, join(path, i), out, seen));
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    if (properties && key in properties) walk(properties[key], child, join(path, key), out, seen);
    else if (isPlainObject(additional)) walk(additional, child, join(path, key), out, seen);
    else if (properties && additional === undefined && schema.type === 'object') out.unknownKeys.push(join(path, key));
  }
}

export function walkFields(schema: JsonSchema, data: unknown): WalkResult {
  const out: WalkResult = { fields: [], unknownKeys: [] };
  walk(schema, data, '', out, new Set());
  return out;
}
