/**
 * Liquid templates for messages and texts: synchronous rendering with a bounded parse cache and a
 * bounded output, syntax checks and the variable roots a template reads.
 */
import type { Template } from 'liquidjs';
import { liquidEngine, MAX_TEMPLATE_SOURCE } from './liquid-engine';
import type { FlowScope, Locale } from './types';

export const DEFAULT_MAX_OUTPUT = 10_000;
const CACHE_SIZE = 500;

export type TemplateErrorKind = 'syntax' | 'render' | 'too_long';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly kind: TemplateErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface RenderOptions {
  /** Month and weekday names for the `date` filter. Default `es`. */
  locale?: Locale;
  /** Maximum output length in characters. Default 10,000. */
  maxLength?: number;
  /** What to do beyond `maxLength`: cut the text (default) or throw `TemplateError('too_long')`. */
  overflow?: 'truncate' | 'error';
}

export interface TemplateProblem {
  message: string;
  line?: number;
  column?: number;
}

const cache = new Map<string, Template[]>();

function parse(source: string, locale: Locale): Template[] {
  const key = `${locale}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // refresh recency
    cache.set(key, hit);
    return hit;
  }
  if (source.length > MAX_TEMPLATE_SOURCE) {
    throw new TemplateError('too_long', `Template is longer than ${MAX_TEMPLATE_SOURCE} characters`);
  }
  let parsed: Template[];
  try {
    parsed = liquidEngine(locale).parse(source);
  } catch (err) {
    throw new TemplateError('syntax', (err as Error).message);
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, parsed);
  return parsed;
}

/** Renders a template synchronously. Throws `TemplateError` on syntax or render errors. */
export function renderTemplate(source: string, scope: FlowScope | Record<string, unknown> = {}, options: RenderOptions = {}): string {
  if (typeof source !== 'string') throw new TemplateError('syntax', 'Template must be a string');
  const locale = options.locale ?? 'es';
  const max = options.maxLength ?? DEFAULT_MAX_OUTPUT;
  const templates = parse(source, locale);
  let output: unknown;
  try {
    output = liquidEngine(locale).renderSync(templates, scope);
  } catch (err) {
    throw new TemplateError('render', (err as Error).message);
  }
  const text = String(output ?? '');
  if (text.length <= max) return text;
  if (options.overflow === 'error') throw new TemplateError('too_long', `Rendered text is longer than ${max} characters`);
  return text.slice(0, max);
}

function position(err: unknown): Pick<TemplateProblem, 'line' | 'column'> {
  const token = (err as { token?: { getPosition?: () => [number, number] } }).token;
  const pos = token?.getPosition?.();
  return pos ? { line: pos[0], column: pos[1] } : {};
}

/** Syntax problems of a template (empty when it parses). */
export function checkTemplate(source: string): TemplateProblem[] {
  if (typeof source !== 'string') return [{ message: 'Template must be a string' }];
  if (source.length > MAX_TEMPLATE_SOURCE) return [{ message: `Template is longer than ${MAX_TEMPLATE_SOURCE} characters` }];
  try {
    liquidEngine('es').parse(source);
    return [];
  } catch (err) {
    return [{ message: (err as Error).message, ...position(err) }];
  }
}

/**
 * Variable paths the template reads from the scope (locals from `assign`/`for`/`capture` excluded),
 * as dotted strings: `["customer.name", "vars.order", "nodes.classify.output.intent"]`.
 * Dynamic segments (`vars[key]`) end the path. Returns [] for templates that do not parse.
 */
export function templateVariablePaths(source: string): string[] {
  let segments: unknown[][];
  try {
    segments = liquidEngine('es').globalVariableSegmentsSync(parse(source, 'es'), { partials: false });
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const segs of segments) {
    const parts: string[] = [];
    for (const s of segs) {
      if (typeof s === 'string' || typeof s === 'number') parts.push(String(s));
      else break;
    }
    if (parts.length) out.add(parts.join('.'));
  }
  return [...out];
}

/** Variable roots the template reads, e.g. `["customer", "vars"]`. */
export function templateVariables(source: string): string[] {
  return [...new Set(templateVariablePaths(source).map((p) => p.split('.')[0]))];
}
