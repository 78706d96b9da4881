import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The one global check of what a client sends, before anything recursive or PostgreSQL sees it:
 *
 * - nesting: a JSON body deeper than MAX_JSON_DEPTH is refused before class-transformer,
 *   class-validator or the flow validator walk it recursively (2,000 levels overflowed their stack);
 * - NUL (`\u0000`) and lone UTF-16 surrogates, in keys or string values at any depth, in the query
 *   or in a path parameter: PostgreSQL refuses both in `text` and `jsonb` (`unsupported Unicode
 *   escape sequence`), so once accepted they turned into 500s or into run events that could not be
 *   stored.
 *
 * The body and the query are checked by `payloadGuardMiddleware` (registered right after the JSON
 * parser); path parameters, whose names only exist once a route matched, by the global
 * `PayloadParamsPipe`, which also checks raw text bodies (the Markdown knowledge import).
 */

/**
 * How deep a JSON body may nest (the body object itself is level 1). The deepest legitimate body is
 * a flow: `definition.nodes[i].data.cases[j].rule` is 7 levels before a rule starts, and rules nest
 * at most 64 levels (workflows/language/rules.ts), so 100 leaves room without letting a body reach
 * the recursion depth that overflows a stack.
 */
export const MAX_JSON_DEPTH = 100;

/** A path longer than this is shortened in messages (a 100-level path of long keys is unreadable). */
const MAX_FIELD_LENGTH = 160;

export type PayloadProblemKind = 'nul' | 'surrogate' | 'depth';

export interface PayloadProblem {
  kind: PayloadProblemKind;
  /** Where: `nodes[3].data.label`, `attributes.note`, `["bad\u0000key"]`. */
  field: string;
}

/** One container on the walk; the path is rebuilt from the parent chain only when a problem is found. */
interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with one string, if anything. */
export function stringProblem(s: string): Exclude<PayloadProblemKind, 'depth'> | null {
  if (s.includes('\u0000')) return 'nul';
  // Most strings have no surrogate at all: the cheap test first.
  if (/[\uD800-\uDFFF]/.test(s) && LONE_SURROGATE.test(s)) return 'surrogate';
  return null;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function segment(key: string | number, first: boolean): string {
  if (typeof key === 'number') return `[${key}]`;
  if (IDENTIFIER.test(key)) return first ? key : `.${key}`;
  // JSON.stringify escapes the NUL and lone surrogates, so the message shows where they are.
  return `[${JSON.stringify(key)}]`;
}

/** `nodes[3].data.label` from a frame chain (plus the offending key, if any), shortened in the middle when long. */
export function fieldPath(frame: Frame | null, last?: string | number, prefix?: string): string {
  const keys: (string | number)[] = last === undefined ? [] : [last];
  for (let f = frame; f && f.key !== null; f = f.parent) keys.push(f.key);
  keys.reverse();
  let path = prefix ?? '';
  for (const key of keys) path += segment(key, path === '');
  if (path === '') return '(the body)';
  if (path.length <= MAX_FIELD_LENGTH) return path;
  const half = Math.floor((MAX_FIELD_LENGTH - 1) / 2);
  return `${path.slice(0, half)}…${path.slice(-half)}`;
}

/**
 * The first problem in a parsed JSON value, or null. Iterative (an explicit stack), so a body nested
 * thousands of levels deep is refused without any recursion; it stops descending at `maxDepth`.
 * `prefix` names the root (`query` parameters have none: their names are the first segment).
 */
export function findPayloadProblem(root: unknown, options: { maxDepth?: number; prefix?: string } = {}): PayloadProblem | null {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const prefix = options.prefix;
  if (typeof root === 'string') {
    const kind = stringProblem(root);
    return kind ? { kind, field: prefix ?? '(the body)' } : null;
  }
  if (root === null || typeof root !== 'object') return null;
  const stack: Frame[] = [{ value: root, depth: 1, parent: null, key: null }];
  // Index loops rather than Object.entries: a 1 MB body has ~100,000 values and this runs on every request.
  const visit = (frame: Frame, key: string | number, value: unknown): PayloadProblem | null => {
    if (typeof value === 'string') {
      const kind = stringProblem(value);
      return kind ? { kind, field: fieldPath(frame, key, prefix) } : null;
    }
    if (value !== null && typeof value === 'object') {
      const child: Frame = { value, depth: frame.depth + 1, parent: frame, key };
      if (child.depth > maxDepth) return { kind: 'depth', field: fieldPath(child, undefined, prefix) };
      stack.push(child);
    }
    return null;
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const container = frame.value;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const problem = visit(frame, i, container[i]);
        if (problem) return problem;
      }
      continue;
    }
    const keys = Object.keys(container);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const kind = stringProblem(key);
      if (kind) return { kind, field: fieldPath(frame, key, prefix) };
      const problem = visit(frame, key, (container as Record<string, unknown>)[key]);
      if (problem) return problem;
    }
  }
  return null;
}

/** The API's 400 body for a problem, naming the field (and where it was: body, query or path). */
export function payloadProblemMessage(problem: PayloadProblem, location: 'body' | 'query' | 'path', maxDepth = MAX_JSON_DEPTH): string {
  const where = location === 'query' ? `query parameter ${problem.field}` : location === 'path' ? `path parameter ${problem.field}` : problem.field;
  switch (problem.kind) {
    case 'nul':
      return `${where} must not contain the NUL character (\\u0000)`;
    case 'surrogate':
      return `${where} must be well-formed Unicode (it has a lone UTF-16 surrogate)`;
    case 'depth':
      return `The request body is nested deeper than ${maxDepth} levels at ${problem.field}`;
  }
}

function problemBody(problem: PayloadProblem, location: 'body' | 'query' | 'path') {
  return {
    statusCode: 400,
    error: 'Bad Request',
    message: payloadProblemMessage(problem, location),
    details: { field: problem.field, location, problem: problem.kind, ...(problem.kind === 'depth' ? { maxDepth: MAX_JSON_DEPTH } : {}) },
  };
}

/**
 * Express middleware, after the JSON body parser and before Nest routes: refuses a body or query
 * with a problem (400 in the API's error shape) so no guard, pipe or service ever sees it.
 */
export function payloadGuardMiddleware() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (body !== undefined && typeof body === 'object') {
      const problem = findPayloadProblem(body);
      if (problem) {
        res.status(400).json(problemBody(problem, 'body'));
        return;
      }
    }
    const query: unknown = req.query;
    if (query && typeof query === 'object' && Object.keys(query).length > 0) {
      // qs nests `a[b][c]` at most 5 levels: the depth limit never applies, the characters do.
      const problem = findPayloadProblem(query);
      if (problem) {
        res.status(400).json(problemBody(problem, 'query'));
        return;
      }
    }
    next();
  };
}

/**
 * Global pipe for what the middleware cannot see: path parameters (by name, once the route matched)
 * and raw text bodies read by route middleware (`text/markdown` on the knowledge import).
 */
@Injectable()
export class PayloadParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param') {
      const problem = typeof value === 'string' ? stringProblemAt(value, metadata.data ?? 'id') : findPayloadProblem(value);
      if (problem) throw refusal(problem, 'path');
    } else if (metadata.type === 'body' && typeof value === 'string') {
      const problem = stringProblemAt(value, 'body');
      if (problem) throw refusal(problem, 'body');
    }
    return value;
  }
}

/** The same 400 the middleware writes, as an exception for Nest's filter. */
function refusal(problem: PayloadProblem, location: 'body' | 'path'): BadRequestException {
  const { message, details } = problemBody(problem, location);
  return new BadRequestException({ message, details });
}

function stringProblemAt(value: string, field: string): PayloadProblem | null {
  const kind = stringProblem(value);
  return kind ? { kind, field } : null;
}
