/**
 * What «Probar frases» sends: the ai.classify node's intents and threshold as the editor holds them,
 * trimmed to what the API accepts (the node schema's limits), since the lead may be half-way through
 * an edit: an intent without an id or without examples is left out rather than failing the request
 * (the problems list already points at it).
 */
import type { ClassifyTryBody } from '../../api/types';

export const MAX_INTENTS = 30;
export const MAX_EXAMPLES = 100;
export const MAX_PHRASES = 50;
export const MAX_TEXT = 500;
const MAX_ID = 64;
/** As the node schema's branch names: no leading or trailing space. */
const BRANCH_ID = /^\S(?:.*\S)?$/;
const RESERVED = 'fallback';

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT;

export function intentsOf(data: Record<string, unknown>): Omit<ClassifyTryBody, 'phrases'> {
  const seen = new Set<string>();
  const intents: ClassifyTryBody['intents'] = [];
  for (const raw of Array.isArray(data.intents) ? data.intents : []) {
    const intent = record(raw);
    const id = intent.id;
    if (typeof id !== 'string' || id.length > MAX_ID || !BRANCH_ID.test(id) || id === RESERVED || seen.has(id)) continue;
    const examples = (Array.isArray(intent.examples) ? intent.examples : []).filter(text).slice(0, MAX_EXAMPLES);
    if (examples.length === 0) continue;
    seen.add(id);
    intents.push({ id, examples, ...(text(intent.description) ? { description: intent.description } : {}) });
    if (intents.length === MAX_INTENTS) break;
  }
  const threshold = data.threshold;
  return { intents, ...(typeof threshold === 'number' && threshold >= 0 && threshold <= 1 ? { threshold } : {}) };
}

/** One phrase per non-empty line, each cut to the API's length. */
export function phrasesOf(input: string): { phrases: string[]; dropped: number } {
  const lines = input
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.slice(0, MAX_TEXT));
  return { phrases: lines.slice(0, MAX_PHRASES), dropped: Math.max(0, lines.length - MAX_PHRASES) };
}
