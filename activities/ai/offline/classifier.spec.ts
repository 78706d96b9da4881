import { calibrated, DEFAULT_CLASSIFY_THRESHOLD } from './calibration';
import { descriptionParts, intentModel, trainIntentModel } from './classifier';

// What a CX lead types (issue #14): a Spanish description and three examples (two Spanish, one English).
const intents = [
  {
    id: 'shipping',
    description: 'Dónde está el pedido o el envío',
    examples: ['¿Dónde está mi pedido?', 'Todavía no me llegó el paquete', 'Where is my order?'],
  },
  { id: 'billing', description: 'Problemas con un cobro o una factura', examples: ['Me cobraron dos veces', 'La factura está mal', 'I was charged twice'] },
  {
    id: 'refund',
    description: 'Quiere que le devuelvan el dinero',
    examples: ['Quiero un reembolso', '¿Cuándo me devuelven el dinero?', 'I want my money back'],
  },
  { id: 'human', description: 'Quiere hablar con una persona', examples: ['Quiero hablar con un agente', 'Pásame con una persona', 'Can I talk to a human?'] },
  {
    id: 'cancel',
    description: 'Cancelar un pedido o una suscripción',
    examples: ['Quiero cancelar mi pedido', 'Dar de baja la suscripción', 'Cancel my subscription'],
  },
];

describe('offline intent classifier', () => {
  const model = trainIntentModel(intents);

  // The four phrases the issue quotes (all fell to fallback before), then others written unlike the examples.
  it.each([
    ['quiero saber el estado de mi envío', 'shipping'],
    ['can I get a refund for my order?', 'refund'],
    ['hay un cargo duplicado en mi tarjeta', 'billing'],
    ['comunícame con un asesor por favor', 'human'],
    ['mi paquete sigue sin aparecer', 'shipping'],
    ['has my parcel been shipped yet?', 'shipping'],
    ['me llegó la factura con un importe que no es', 'billing'],
    ['necesito el reembolzo de mi compra', 'refund'],
    ['devuélvanme la plata por favor', 'refund'],
    ['quiero hablar con alguien de verdad, no con un bot', 'human'],
    ['I need a real person', 'human'],
    ['quiero anular la orden que hice ayer', 'cancel'],
    ['please unsubscribe me', 'cancel'],
  ])('%j -> %s at the default threshold', (text, intent) => {
    expect(model.classify(text).intent).toBe(intent);
  });

  it.each(['¿va a llover mañana?', 'cuéntame un chiste', 'asdf', ''])('sends %j to fallback', (text) => {
    const out = model.classify(text);
    expect(out.intent).toBeNull();
    expect(out.confidence).toBeLessThan(DEFAULT_CLASSIFY_THRESHOLD);
  });

  it('uses the description: a word only the description has still finds its intent', () => {
    const withDescription = trainIntentModel([
      { id: 'warranty', description: 'Garantía de un producto averiado', examples: ['se me rompió', 'no funciona'] },
      { id: 'store', description: 'Horario de las tiendas', examples: ['¿a qué hora abren?', 'dónde queda el local'] },
    ]);
    const withoutDescription = trainIntentModel([
      { id: 'warranty', examples: ['se me rompió', 'no funciona'] },
      { id: 'store', examples: ['¿a qué hora abren?', 'dónde queda el local'] },
    ]);
    expect(withDescription.classify('¿sigue en garantía?', 0).intent).toBe('warranty');
    expect(withoutDescription.classify('¿sigue en garantía?', 0).confidence).toBeLessThan(withDescription.classify('¿sigue en garantía?', 0).confidence);
  });

  it('splits a description into the parts it lists', () => {
    expect(descriptionParts('Problemas con un cobro: cargo duplicado, importe incorrecto o la factura.')).toEqual([
      'Problemas con un cobro: cargo duplicado, importe incorrecto o la factura.',
      'Problemas con un cobro',
      'cargo duplicado',
      'importe incorrecto o la factura',
    ]);
    expect(descriptionParts('Quiere hablar con una persona')).toEqual(['Quiere hablar con una persona']);
    expect(descriptionParts('  ')).toEqual([]);
    expect(descriptionParts(undefined)).toEqual([]);
  });

  it('scores every intent, with the runner-up below the answer', () => {
    const out = model.classify('me cobraron dos veces el mismo pedido');
    expect(Object.keys(out.scores).sort()).toEqual(['billing', 'cancel', 'human', 'refund', 'shipping']);
    expect(out.intent).toBe('billing');
    const [first, second] = Object.values(out.scores).sort((a, b) => b - a);
    expect(out.confidence).toBe(first);
    expect(second).toBeLessThan(first);
  });

  it('caches models by their intents, descriptions included', () => {
    expect(intentModel(intents)).toBe(intentModel(intents.map((i) => ({ ...i }))));
    expect(intentModel(intents)).not.toBe(intentModel(intents.map((i) => ({ ...i, description: `${i.description}.` }))));
  });
});

describe('calibration', () => {
  it('grows with the raw similarity and with the margin over the runner-up, within 0..1', () => {
    expect(calibrated(0.6, 0.3, 5)).toBeGreaterThan(calibrated(0.3, 0.3, 5));
    expect(calibrated(0.6, 0.3, 5)).toBeGreaterThan(calibrated(0.6, 0, 5));
    for (const [raw, margin] of [
      [0, 0],
      [1, 1],
      [0.5, 0.1],
    ]) {
      expect(calibrated(raw, margin, 5)).toBeGreaterThan(0);
      expect(calibrated(raw, margin, 5)).toBeLessThan(1);
    }
  });
});
