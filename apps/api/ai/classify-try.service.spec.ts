import { BadRequestException } from '@nestjs/common';
import type { AiEngine } from '../../../activities/ai/engine';
import { reviewIntents } from '../../../activities/ai/intent-review';
import { DEFAULT_CLASSIFY_THRESHOLD } from '../../../activities/ai/offline/classifier';
import { ClassifyTryService, runnerUpOf } from './classify-try.service';
import type { ClassifyTryDto } from './dto';

// The real review, counted.
jest.mock('../../../activities/ai/intent-review', () => {
  const actual = jest.requireActual('../../../activities/ai/intent-review');
  return { ...actual, reviewIntents: jest.fn(actual.reviewIntents) };
});

const intents = [
  { id: 'shipping', description: 'Dónde está el pedido', examples: ['¿dónde está mi pedido?', 'mi paquete no ha llegado', 'where is my order?'] },
  { id: 'password', description: 'No puede entrar en su cuenta', examples: ['olvidé mi contraseña', 'no puedo iniciar sesión', 'I forgot my password'] },
];

/** An LLM that answers `shipping` with 0.9, or fails every call when `fail` is set. */
function fakeLlm(fail?: Error): AiEngine & { calls: number } {
  const engine = {
    name: 'llm' as const,
    calls: 0,
    async classify() {
      engine.calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw fail;
      return { intent: 'shipping', confidence: 0.9, scores: { shipping: 0.9, password: 0.1 }, engine: 'llm' as const };
    },
    sentiment: () => Promise.reject(new Error('unused')),
    reply: () => Promise.reject(new Error('unused')),
    summarize: () => Promise.reject(new Error('unused')),
  };
  return engine;
}

const body = (extra: Partial<ClassifyTryDto> = {}): ClassifyTryDto => ({ intents, phrases: ['¿dónde anda mi paquete?'], ...extra });

describe('ClassifyTryService', () => {
  it('classifies offline without an LLM, with the classifier’s default threshold', async () => {
    const out = await new ClassifyTryService(null).tryPhrases(body({ phrases: ['mi paquete no ha llegado todavía', 'olvidé la contraseña'] }));
    expect(out.engine).toBe('offline');
    expect(out.threshold).toBe(DEFAULT_CLASSIFY_THRESHOLD);
    expect(out.results.map((r) => [r.text, r.intent, r.engine])).toEqual([
      ['mi paquete no ha llegado todavía', 'shipping', 'offline'],
      ['olvidé la contraseña', 'password', 'offline'],
    ]);
    expect(out.results[0].runnerUp?.intent ?? 'password').toBe('password');
    expect(out.results[0].llmError).toBeUndefined();
  });

  it('applies the node’s threshold: nothing reaches 1.0, so every phrase falls back', async () => {
    const out = await new ClassifyTryService(null).tryPhrases(body({ threshold: 1, phrases: ['mi paquete no llega'] }));
    expect(out.threshold).toBe(1);
    expect(out.results[0].intent).toBeNull();
    // The closest intent is still shown, as the runner-up.
    expect(out.results[0].runnerUp?.intent).toBe('shipping');
  });

  it('asks the configured LLM, and says so per phrase', async () => {
    const llm = fakeLlm();
    const out = await new ClassifyTryService(llm).tryPhrases(body({ phrases: ['a', 'b', 'c'] }));
    expect(out.engine).toBe('llm');
    expect(llm.calls).toBe(3);
    expect(out.results).toEqual(
      ['a', 'b', 'c'].map((text) => ({ text, intent: 'shipping', confidence: 0.9, runnerUp: { intent: 'password', score: 0.1 }, engine: 'llm' })),
    );
  });

  it('falls back to the offline classifier when the LLM fails, without waiting for it on every phrase', async () => {
    const llm = fakeLlm(new Error('could not reach the LLM (ECONNREFUSED)'));
    const phrases = Array.from({ length: 20 }, (_, i) => `mi paquete no ha llegado ${i}`);
    const out = await new ClassifyTryService(llm).tryPhrases(body({ phrases }));
    expect(out.engine).toBe('llm');
    expect(llm.calls).toBeLessThanOrEqual(4);
    expect(out.results).toHaveLength(20);
    for (const r of out.results) {
      expect(r).toMatchObject({ engine: 'offline', intent: 'shipping', llmError: 'could not reach the LLM (ECONNREFUSED)' });
    }
    expect(out.results.map((r) => r.text)).toEqual(phrases);
  });

  it('refuses repeated and reserved intent ids, naming the field', async () => {
    const service = new ClassifyTryService(null);
    await expect(service.tryPhrases(body({ intents: [intents[0], { ...intents[1], id: 'shipping' }] }))).rejects.toThrow(
      new BadRequestException('intents.1.id "shipping" is repeated; each intent id must be unique'),
    );
    await expect(service.tryPhrases(body({ intents: [{ ...intents[0], id: 'fallback' }] }))).rejects.toThrow(/^intents\.0\.id "fallback" is reserved/);
  });

  it('reviews the intents whatever the engine', async () => {
    const out = await new ClassifyTryService(fakeLlm()).tryPhrases(body({ intents: [intents[0], { id: 'hours', examples: ['horario'] }] }));
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'few-examples', intent: 'hours' }));
  });
});

describe('ClassifyTryService reviews', () => {
  it('reviews the same intents once, whatever phrases are tried with them', async () => {
    const service = new ClassifyTryService(null);
    const spy = reviewIntents as jest.Mock;
    spy.mockClear();
    await service.tryPhrases(body({ phrases: ['uno'] }));
    await service.tryPhrases(body({ phrases: ['dos'] }));
    expect(spy).toHaveBeenCalledTimes(1);
    await service.tryPhrases(body({ phrases: ['dos'], threshold: 0.9 }));
    expect(spy).toHaveBeenCalledTimes(2);
  });
});

describe('runnerUpOf', () => {
  const scores = { a: 0.8, b: 0.3, c: 0 };
  it('is the next intent after the answer, or the closest when there is none', () => {
    expect(runnerUpOf('a', scores)).toEqual({ intent: 'b', score: 0.3 });
    expect(runnerUpOf('b', scores)).toEqual({ intent: 'a', score: 0.8 });
    expect(runnerUpOf(null, scores)).toEqual({ intent: 'a', score: 0.8 });
    expect(runnerUpOf('a', { a: 0.8, c: 0 })).toBeNull();
  });
});
