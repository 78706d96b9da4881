/**
 * Making run-event values storable in PostgreSQL. `jsonb` refuses `\u0000` (`unsupported Unicode
 * escape sequence`) and lone UTF-16 surrogates (JSON.stringify writes them as `\udXXX` escapes,
 * which jsonb refuses too), and `text` columns refuse the NUL byte. A flow can produce such values
 * from anything it read (an LLM answer, a CRM field, an HTTP response), so the writer cleans them
 * instead of losing the batch: NUL is dropped, a lone surrogate becomes U+FFFD (what a UTF-8
 * encoder does with it).
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

export function sanitizeText(s: string): string {
  // Nearly every string is clean: one cheap test, no allocation.
  if (!SUSPECT.test(s)) return s;
  return s.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A copy of a JSON value with every string and key sanitized; the value itself when nothing needed
 * it (the common case allocates nothing). Iterative, so a deeply nested value cannot overflow the
 * stack; cycles cannot occur (the value came through Temporal's JSON converter).
 */
export function sanitizeJson<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (value === null || typeof value !== 'object' || !needsSanitizing(value)) return value;
  // Pairs of (source, its fresh copy) still to fill.
  const stack: [unknown, Record<string, unknown> | unknown[]][] = [];
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return sanitizeText(v);
    if (v === null || typeof v !== 'object') return v;
    const target = Array.isArray(v) ? [] : {};
    stack.push([v, target]);
    return target;
  };
  const root = clean(value);
  while (stack.length > 0) {
    const [source, target] = stack.pop()!;
    if (Array.isArray(target)) {
      for (const item of source as unknown[]) target.push(clean(item));
      continue;
    }
    for (const key of Object.keys(source as object)) {
      // defineProperty, not assignment: a key named __proto__ stays a plain key.
      Object.defineProperty(target, sanitizeText(key), {
        value: clean((source as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root as T;
}

/** Whether any string or key in the value has a NUL or a surrogate (an emoji pair passes here and is kept by sanitizeText). */
function needsSanitizing(value: object): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (SUSPECT.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (SUSPECT.test(key)) return true;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}
