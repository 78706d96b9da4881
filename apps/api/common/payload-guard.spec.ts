import { BadRequestException } from '@nestjs/common';
import { findPayloadProblem, MAX_JSON_DEPTH, PayloadParamsPipe, payloadGuardMiddleware, payloadProblemMessage, stringProblem } from './payload-guard';

/** `{"a":{"a":...}}` or `[[...]]` nested `levels` deep, built without recursion. */
function nested(levels: number, kind: 'object' | 'array'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}

describe('payload guard', () => {
  describe('findPayloadProblem', () => {
    it('names the field of a NUL in a string value at any depth', () => {
      const flow = { name: 'x', definition: { nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd', data: { label: 'hola\u0000' } }] } };
      expect(findPayloadProblem(flow)).toEqual({ kind: 'nul', field: 'definition.nodes[3].data.label' });
      expect(findPayloadProblem({ text: 'hi\u0000there' })).toEqual({ kind: 'nul', field: 'text' });
      expect(findPayloadProblem({ attributes: { note: '\u0000' } })).toEqual({ kind: 'nul', field: 'attributes.note' });
    });

    it('names a NUL in a key, escaped, and quotes keys that are not identifiers', () => {
      expect(findPayloadProblem({ attributes: { 'a\u0000b': 1 } })).toEqual({ kind: 'nul', field: 'attributes["a\\u0000b"]' });
      expect(findPayloadProblem({ 'two words': ['ok', 'n\u0000'] })).toEqual({ kind: 'nul', field: '["two words"][1]' });
    });

    it('refuses lone surrogates but accepts paired ones (emoji) and ordinary text', () => {
      expect(findPayloadProblem({ text: 'cut emoji \ud83d' })).toEqual({ kind: 'surrogate', field: 'text' });
      expect(findPayloadProblem({ text: '\ude00 alone' })).toEqual({ kind: 'surrogate', field: 'text' });
      expect(findPayloadProblem({ text: 'ok 😀 ñandú \u0001 \\u0000' })).toBeNull();
      expect(stringProblem('😀')).toBeNull();
    });

    it('accepts MAX_JSON_DEPTH levels and refuses one more, naming where', () => {
      expect(findPayloadProblem(nested(MAX_JSON_DEPTH, 'object'))).toBeNull();
      const problem = findPayloadProblem(nested(MAX_JSON_DEPTH + 1, 'array'));
      expect(problem?.kind).toBe('depth');
      expect(problem?.field.startsWith('[0][0][0]')).toBe(true);
    });

    it('walks 100,000 levels without recursion (no stack overflow) and shortens the path in the message', () => {
      const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
      const problem = findPayloadProblem(deep)!;
      expect(problem.kind).toBe('depth');
      expect(problem.field.length).toBeLessThanOrEqual(160);
      expect(payloadProblemMessage(problem, 'body')).toMatch(/^The request body is nested deeper than 100 levels at \[0\]\[0\].*…/);
    });

    it('checks a wide 1 MB body quickly', () => {
      const body = { items: Array.from({ length: 20_000 }, (_, i) => ({ id: `item-${i}`, tags: ['a', 'b'], n: i })) };
      const started = performance.now();
      expect(findPayloadProblem(body)).toBeNull();
      expect(performance.now() - started).toBeLessThan(200);
    });
  });

  describe('payloadGuardMiddleware', () => {
    const run = (req: { body?: unknown; query?: unknown }) => {
      const res = {
        statusCode: 0,
        payload: undefined as unknown,
        status(code: number) {
          this.statusCode = code;
          return this;
        },
        json(p: unknown) {
          this.payload = p;
          return this;
        },
      };
      const next = jest.fn();
      payloadGuardMiddleware()(req as never, res as never, next);
      return { res, next };
    };

    it('answers 400 in the API error shape naming the body field', () => {
      const { res, next } = run({ body: { text: 'a\u0000' }, query: {} });
      expect(next).not.toHaveBeenCalled();
      expect(res.statusCode).toBe(400);
      expect(res.payload).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'text must not contain the NUL character (\\u0000)',
        details: { field: 'text', location: 'body', problem: 'nul' },
      });
    });

    it('names a query parameter', () => {
      const { res } = run({ body: {}, query: { q: 'x\u0000' } });
      expect(res.statusCode).toBe(400);
      expect(res.payload).toMatchObject({ message: 'query parameter q must not contain the NUL character (\\u0000)', details: { location: 'query' } });
    });

    it('lets clean requests through', () => {
      const { next } = run({ body: { text: 'hola' }, query: { limit: '10' } });
      expect(next).toHaveBeenCalledTimes(1);
    });
  });

  describe('PayloadParamsPipe', () => {
    const pipe = new PayloadParamsPipe();
    it('names the path parameter', () => {
      expect(() => pipe.transform('cust\u0000-1', { type: 'param', data: 'id' })).toThrow(
        new BadRequestException('path parameter id must not contain the NUL character (\\u0000)'),
      );
      expect(pipe.transform('cust-1', { type: 'param', data: 'id' })).toBe('cust-1');
    });

    it('checks raw text bodies and leaves parsed ones to the middleware', () => {
      expect(() => pipe.transform('# Title\n\u0000', { type: 'body' })).toThrow(/body must not contain the NUL/);
      const dto = { text: 'x' };
      expect(pipe.transform(dto, { type: 'body' })).toBe(dto);
    });
  });
});
