/**
 * JSON Logic (the flow language's rules) ⇄ react-querybuilder's query. The builder speaks plain
 * JSON Logic; the language has friendlier operators for CX texts, so the bridge maps:
 * - "contains" → the language's case- and accent-insensitive `contains`
 * - "begins with" → `starts_with`; "in list" → `in_list` (case-insensitive)
 * - the texts "true"/"false" → booleans; a group with one condition → the condition itself.
 * A rule the builder cannot show exactly (custom operators, arithmetic) is edited as JSON.
 */
import { formatQuery } from 'react-querybuilder/formatQuery';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import type { RuleGroupType } from 'react-querybuilder';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isVar = (v: unknown) => isObj(v) && 'var' in v;

/** Builder output → language rule. */
function toLanguage(node: Json): Json {
  if (Array.isArray(node)) return node.map(toLanguage);
  if (!isObj(node)) return node === 'true' ? true : node === 'false' ? false : node;
  const keys = Object.keys(node);
  if (keys.length !== 1) return node;
  const op = keys[0];
  const raw = node[op];
  if (op === 'var') return node;
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'in' && args.length === 2 && typeof args[0] === 'string' && isVar(args[1])) return { contains: [args[1], args[0]] };
  if (op === 'in' && args.length === 2 && isVar(args[0]) && Array.isArray(args[1])) return { in_list: [args[0], args[1]] };
  if (op === 'startsWith') return { starts_with: args.map(toLanguage) };
  if ((op === 'and' || op === 'or') && args.length === 1) return toLanguage(args[0]);
  return { [op]: Array.isArray(raw) ? args.map(toLanguage) : toLanguage(raw) };
}

/** Language rule → what the builder parses. */
function toBuilder(node: Json): Json {
  if (Array.isArray(node)) return node.map(toBuilder);
  if (!isObj(node)) return node;
  const keys = Object.keys(node);
  if (keys.length !== 1) return node;
  const op = keys[0];
  const raw = node[op];
  if (op === 'var') return node;
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'contains' && args.length === 2 && isVar(args[0])) return { in: [args[1], args[0]] };
  if (op === 'in_list' && args.length === 2) return { in: [args[0], args[1]] };
  if (op === 'starts_with') return { startsWith: args.map(toBuilder) };
  return { [op]: Array.isArray(raw) ? args.map(toBuilder) : toBuilder(raw) };
}

const canonical = (v: Json) => JSON.stringify(v);

export const EMPTY_GROUP: RuleGroupType = { combinator: 'and', rules: [] };

export function queryToRule(query: RuleGroupType): Record<string, unknown> {
  if (query.rules.length === 0) return { and: [] };
  const formatted = formatQuery(query, { format: 'jsonlogic', parseNumbers: 'strict' });
  const rule = toLanguage(formatted);
  return isObj(rule) ? rule : { and: [] };
}

/** The builder query for a rule, or null when the builder cannot show it exactly. */
export function ruleToQuery(rule: unknown): RuleGroupType | null {
  if (!isObj(rule)) return null;
  if (canonical(rule) === canonical({ and: [] })) return EMPTY_GROUP;
  try {
    const query = parseJsonLogic(toBuilder(rule) as never) as RuleGroupType;
    if (!query || !Array.isArray(query.rules) || query.rules.length === 0) return null;
    return canonical(queryToRule(query)) === canonical(rule) ? query : null;
  } catch {
    return null;
  }
}
