import type { IntentSpec } from './offline/classifier';

// The real classifier, watched: the budget test counts the models the review trains and their size.
const trainings: IntentSpec[][] = [];
jest.mock('./offline/classifier', () => {
  const actual = jest.requireActual('./offline/classifier');
  return {
    ...actual,
    trainIntentModel: (intents: IntentSpec[]) => {
      trainings.push(intents);
      return actual.trainIntentModel(intents);
    },
  };
});

import { MAX_CHECKED_PER_INTENT, MIN_EXAMPLES, reviewIntents, sameExampleKey, TRAINING_BUDGET } from './intent-review';

const shipping: IntentSpec = {
  id: 'shipping',
  description: 'Dónde está el pedido o el envío',
  examples: ['¿dónde está mi pedido?', 'mi paquete no ha llegado todavía', 'where is my order?'],
};
const password: IntentSpec = {
  id: 'password',
  description: 'No puede entrar en su cuenta',
  examples: ['olvidé mi contraseña', 'no puedo iniciar sesión en la cuenta', 'I forgot my password'],
};
const hours: IntentSpec = {
  id: 'hours',
  description: 'Horario de las tiendas',
  examples: ['¿a qué hora abre la tienda?', 'horario de apertura del sábado', 'what time do you open?'],
};

beforeEach(() => {
  trainings.length = 0;
});

describe('reviewIntents', () => {
  it('has nothing to say about three distinct intents with three examples each', async () => {
    expect(await reviewIntents([shipping, password, hours])).toEqual([]);
  });

  it(`warns about an intent with fewer than ${MIN_EXAMPLES} examples, in Spanish and English`, async () => {
    const warnings = await reviewIntents([shipping, { ...hours, examples: hours.examples.slice(0, 2) }, password]);
    const few = warnings.filter((w) => w.code === 'few-examples');
    expect(few).toEqual([
      { code: 'few-examples', intent: 'hours', message: { es: expect.stringContaining('2 ejemplos'), en: expect.stringContaining('2 examples') } },
    ]);
    expect((await reviewIntents([{ ...hours, examples: ['horario'] }, shipping]))[0].message.es).toContain('1 ejemplo:');
  });

  it('finds the same example in two intents whatever its capitals, accents and punctuation', async () => {
    const billing = { id: 'billing', examples: ['Donde esta mi pedido', 'me cobraron dos veces', 'la factura está mal'] };
    const warnings = await reviewIntents([shipping, billing, password]);
    expect(warnings).toEqual([
      {
        code: 'duplicate-example',
        intent: 'shipping',
        other: 'billing',
        example: '¿dónde está mi pedido?',
        message: { es: expect.stringContaining('`shipping` y en `billing`'), en: expect.stringContaining('both `shipping` and `billing`') },
      },
    ]);
    // The same example twice in one intent is not a conflict between intents.
    expect(await reviewIntents([{ ...shipping, examples: [...shipping.examples, 'Where is my order'] }, password, hours])).toEqual([]);
  });

  it('reports an example that, left out of its intent, goes to another one at the threshold', async () => {
    const refund = {
      id: 'refund',
      description: 'Quiere que le devuelvan el dinero',
      examples: ['quiero un reembolso', 'devuélvanme el dinero', 'refund please'],
    };
    const billing = {
      id: 'billing',
      description: 'Problemas con la factura o los cobros',
      examples: ['la factura tiene un error', 'me cobraron de más', 'quiero un reembolso ya mismo'],
    };
    const warnings = await reviewIntents([shipping, refund, billing]);
    const overlaps = warnings.filter((w) => w.code === 'overlap');
    // The near-twin examples overlap both ways; shipping has nothing to do with either.
    expect(overlaps.every((w) => w.intent !== 'shipping' && w.other !== 'shipping')).toBe(true);
    expect(overlaps).toContainEqual({
      code: 'overlap',
      intent: 'billing',
      other: 'refund',
      example: 'quiero un reembolso ya mismo',
      message: {
        es: expect.stringMatching(/^El ejemplo «quiero un reembolso ya mismo» de `billing` se parece más a `refund` \(\d+ %\)/),
        en: expect.stringContaining('looks more like `refund`'),
      },
    });
    // No intent can reach a confidence over 1: nothing overlaps "enough" then.
    expect((await reviewIntents([shipping, refund, billing], 1.01)).filter((w) => w.code === 'overlap')).toEqual([]);
  });

  it('trains every leave-one-out model without the example it checks', async () => {
    await reviewIntents([shipping, password, hours]);
    expect(trainings).toHaveLength(9);
    for (const model of trainings) expect(model.flatMap((i) => i.examples)).toHaveLength(8);
    expect(trainings[0].find((i) => i.id === 'shipping')!.examples).toEqual(shipping.examples.slice(1));
  });

  it('keeps the work bounded at the node’s limits', async () => {
    const intents = Array.from({ length: 30 }, (_, i) => ({
      id: `intent_${i}`,
      examples: Array.from({ length: 100 }, (_, j) => `tema${i} variante${j} frase${i}x${j}`),
    }));
    await reviewIntents(intents);
    const trainedExamples = trainings.reduce((n, model) => n + model.reduce((m, i) => m + i.examples.length, 0), 0);
    expect(trainedExamples).toBeLessThanOrEqual(TRAINING_BUDGET);
    expect(trainedExamples).toBeGreaterThan(TRAINING_BUDGET - 300);
    // Only the first examples are trained on: at most MAX_CHECKED_PER_INTENT per intent.
    for (const model of trainings) for (const intent of model) expect(intent.examples.length).toBeLessThanOrEqual(MAX_CHECKED_PER_INTENT);
  });

  it('checks every intent’s first example before any second one', async () => {
    const intents = Array.from({ length: 20 }, (_, i) => ({
      id: `intent_${i}`,
      examples: Array.from({ length: 5 }, (_, j) => `tema${i} variante${j} frase${i}x${j}`),
    }));
    await reviewIntents(intents);
    const leftOut = trainings.map((model) => {
      const intent = model.find((i) => i.examples.length < 5)!;
      return `${intent.id}#${[0, 1, 2, 3, 4].find((j) => !intent.examples.includes(`tema${intent.id.slice(7)} variante${j} frase${intent.id.slice(7)}x${j}`))}`;
    });
    expect(leftOut.slice(0, 20)).toEqual(intents.map((i) => `${i.id}#0`));
    expect(leftOut.slice(20, 40)).toEqual(intents.map((i) => `${i.id}#1`));
    // 20 × 5: the budget reaches the first four examples of every intent.
    expect(leftOut).toHaveLength(Math.floor(TRAINING_BUDGET / 99));
  });

  it('lets other work run between its trainings (the API serves chat turns meanwhile)', async () => {
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    await reviewIntents([shipping, password, hours]);
    done = true;
    expect(ticks).toBeGreaterThanOrEqual(trainings.length - 1);
  });
});

describe('sameExampleKey', () => {
  it('ignores capitals, accents, punctuation and spacing, not the words', async () => {
    expect(sameExampleKey('¿Dónde  está mi PEDIDO?')).toBe('donde esta mi pedido');
    expect(sameExampleKey('donde esta mi pedido')).toBe(sameExampleKey('¿Dónde está mi pedido?'));
    expect(sameExampleKey('donde esta mi paquete')).not.toBe(sameExampleKey('donde esta mi pedido'));
  });
});
