/**
 * One-line summaries of node data for the canvas, generated from the node's JSON Schema: the first
 * string fields in schema order (a short one such as a method or a channel is joined with the next),
 * or a rule written as a readable sentence. No per-type code.
 */
import { FIELD_KIND_KEY, type JsonSchema } from '../../../workflows/language';
import type { Locale } from '../i18n';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPS: Record<string, string> = { '==': '=', '===': '=', '!=': '≠', '!==': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

function operand(v: unknown, locale: Locale): string {
  if (isObj(v) && 'var' in v) return String(Array.isArray(v.var) ? v.var[0] : v.var);
  if (typeof v === 'string') return `"${v}"`;
  if (isObj(v) || Array.isArray(v)) return ruleSummary(v, locale);
  return String(v);
}

/** A JSON Logic rule as a short sentence: `vars.intent = "billing" y last.text contiene "humano"`. */
export function ruleSummary(rule: unknown, locale: Locale = 'es'): string {
  if (Array.isArray(rule)) return `[${rule.map((r) => operand(r, locale)).join(', ')}]`;
  if (!isObj(rule)) return operand(rule, locale);
  const keys = Object.keys(rule);
  if (keys.length !== 1) return JSON.stringify(rule);
  const op = keys[0];
  const raw = rule[op];
  const args = Array.isArray(raw) ? raw : [raw];
  const and = locale === 'es' ? ' y ' : ' and ';
  const or = locale === 'es' ? ' o ' : ' or ';
  if (op === 'var') return operand(rule, locale);
  if (op === 'and' || op === 'or')
    return args.map((a) => (isObj(a) && ('and' in a || 'or' in a) ? `(${ruleSummary(a, locale)})` : ruleSummary(a, locale))).join(op === 'and' ? and : or);
  if (op === '!') return `${locale === 'es' ? 'no' : 'not'} (${ruleSummary(args[0], locale)})`;
  if (op === '!!') return ruleSummary(args[0], locale);
  if (OPS[op] && args.length === 2) return `${operand(args[0], locale)} ${OPS[op]} ${operand(args[1], locale)}`;
  if ((op === '<' || op === '<=') && args.length === 3)
    return `${operand(args[0], locale)} ${OPS[op]} ${operand(args[1], locale)} ${OPS[op]} ${operand(args[2], locale)}`;
  if (op === 'in' && args.length === 2) {
    return Array.isArray(args[1])
      ? `${operand(args[0], locale)} ${locale === 'es' ? 'en' : 'in'} ${operand(args[1], locale)}`
      : `${operand(args[1], locale)} ${locale === 'es' ? 'contiene' : 'contains'} ${operand(args[0], locale)}`;
  }
  return `${op}(${args.map((a) => operand(a, locale)).join(', ')})`;
}

const SKIP = new Set(['label', 'notes']);

export function dataSummary(data: Obj, schema: JsonSchema | undefined, locale: Locale, enumLabel: (field: string, value: string) => string): string {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const parts: string[] = [];
  for (const [key, s] of Object.entries(props)) {
    if (SKIP.has(key)) continue;
    const value = data[key];
    if (s[FIELD_KIND_KEY] === 'rule' && isObj(value)) {
      if (parts.length === 0) return ruleSummary(value, locale);
      break;
    }
    if (typeof value === 'string' && value.trim() !== '') {
      parts.push(Array.isArray(s.enum) ? enumLabel(key, value) : value.replace(/\s+/g, ' ').trim());
      if (parts.length === 2 || parts[0].length > 14) break;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' · ');
}
