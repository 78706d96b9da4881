import { ApplicationFailure } from '@temporalio/common';
import type { ActivityContext, ConversationTurn } from '../../contracts/activities';
import { createAiActivities } from './ai.activities';
import { createStaticKnowledgeBase } from './knowledge';
import { analyse } from './offline/analyse';
import { detectLanguage, stem } from './offline/text';

/** The stems the classifier and retrieval match on. */
const terms = (text: string) => analyse(text).stems;

const ctx: ActivityContext = { runId: 'run-1', flowId: 'flow-1', nodeId: 'n1', idempotencyKey: 'run-1:n1:1', customerId: 'cust-42' };

const intents = [
  {
    id: 'billing',
    examples: [
      'tengo un problema con mi factura',
      'me cobraron dos veces',
      'cobro incorrecto en mi tarjeta',
      'billing question',
      'I was charged twice',
      'wrong amount on my invoice',
    ],
  },
  {
    id: 'shipping',
    examples: [
      'dónde está mi pedido',
      'mi paquete no ha llegado',
      'cuándo llega mi envío',
      'where is my order',
      'my package has not arrived',
      'tracking number for my shipment',
    ],
  },
  {
    id: 'cancel',
    examples: [
      'quiero cancelar mi suscripción',
      'darme de baja',
      'cancelar la cuenta',
      'cancel my subscription',
      'I want to close my account',
      'unsubscribe me',
    ],
  },
  {
    id: 'password',
    examples: ['olvidé mi contraseña', 'no puedo iniciar sesión', 'restablecer contraseña', 'forgot my password', "can't log in", 'reset password'],
  },
];

const articles = [
  {
    id: 'returns',
    title: 'Devoluciones y reembolsos',
    body:
      'Aceptamos devoluciones durante 30 días desde la entrega.\n\n' +
      'Para pedir un reembolso, entra en Mis pedidos, elige el pedido y pulsa "Devolver". El reembolso llega a tu tarjeta en 5 a 7 días hábiles.\n\n' +
      'Los productos personalizados no admiten devolución.',
    locale: 'es',
  },
  {
    id: 'shipping-times',
    title: 'Plazos de envío',
    body:
      'Los envíos peninsulares tardan de 24 a 48 horas.\n\n' +
      'A Canarias y Baleares el envío tarda de 3 a 5 días. Recibirás un número de seguimiento por email cuando salga el paquete.',
    locale: 'es',
  },
  {
    id: 'password-reset',
    title: 'Reset your password',
    body:
      'If you forgot your password, open the login page and click "Forgot password". We email you a link that is valid for one hour.\n\n' +
      'If the email does not arrive, check your spam folder.',
    locale: 'en',
  },
  {
    id: 'payment-methods',
    title: 'Métodos de pago',
    body: 'Aceptamos tarjeta de crédito, débito, PayPal y Bizum. No aceptamos pagos contra reembolso.',
    locale: 'es',
  },
];

const ai = createAiActivities({ knowledge: createStaticKnowledgeBase(articles) });

describe('text normalisation', () => {
  it('folds accents and makes inflections meet', () => {
    expect(new Set(['factura', 'facturas', 'facturación', 'facturar'].map((w) => terms(w)[0])).size).toBe(1);
    expect(new Set(['refund', 'refunds', 'refunded', 'refunding'].map(stem)).size).toBe(1);
    expect(new Set(['envío', 'envíos', 'enviar', 'enviado'].flatMap((w) => terms(w))).size).toBe(1);
    expect(new Set(['aceptamos', 'aceptáis', 'aceptar', 'aceptado', 'aceptados'].flatMap((w) => terms(w))).size).toBe(1);
    expect(new Set(['cancel', 'cancelled', 'cancellation', 'cancelar', 'cancelación'].flatMap((w) => terms(w))).size).toBe(1);
    expect(terms('Hola, quiero saber dónde está mi pedido')).toEqual([stem('pedido')]);
  });

  it('detects Spanish and English by their function words', () => {
    expect(detectLanguage('¿Dónde está mi pedido? Lo compré hace una semana')).toBe('es');
    expect(detectLanguage('Where is my order? I bought it a week ago')).toBe('en');
    expect(detectLanguage('12345')).toBe('unknown');
  });
});

describe('aiClassify (offline)', () => {
  const classify = (text: string, threshold?: number) => ai.aiClassify({ ctx, text, intents, threshold });

  it.each([
    ['Hola, me llegó la factura con un cobro duplicado', 'billing'],
    ['FACTURACIÓN incorrecta', 'billing'],
    ['mi factrua esta mal', 'billing'],
    ['i was double charged on my card', 'billing'],
    ['no me ha llegado el pedido todavía', 'shipping'],
    ['mi pedio no llega', 'shipping'],
    ['Where is my package?', 'shipping'],
    ['cuando llega mi paquete', 'shipping'],
    ['quiero darme de baja del servicio', 'cancel'],
    ['Please cancel my subscription', 'cancel'],
    ['I forgot my pasword', 'password'],
    ['olvide la contrasena', 'password'],
  ])('%s -> %s', async (text, expected) => {
    const out = await classify(text);
    expect(out.intent).toBe(expected);
    expect(out.engine).toBe('offline');
    expect(out.confidence).toBeGreaterThanOrEqual(0.35);
    expect(out.scores[expected]).toBe(out.confidence);
    for (const s of Object.values(out.scores)) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it.each(['what is the weather like today', 'me gusta el fútbol', 'hola', ''])('falls back on unrelated text: %j', async (text) => {
    const out = await classify(text);
    expect(out.intent).toBeNull();
    expect(out.confidence).toBeLessThan(0.35);
    expect(Object.keys(out.scores).sort()).toEqual(['billing', 'cancel', 'password', 'shipping']);
  });

  it('honours the threshold', async () => {
    const loose = await classify('Please cancel my subscription', 0.1);
    expect(loose.intent).toBe('cancel');
    // Just above its confidence, the same answer becomes "not sure" (fallback).
    const strict = await classify('Please cancel my subscription', Math.min(1, loose.confidence + 0.0001));
    expect(strict.intent).toBeNull();
    expect(strict.confidence).toBe(loose.confidence);
  });

  it('rejects input no retry can fix', async () => {
    await expect(ai.aiClassify({ ctx, text: 'x', intents: [] })).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(ai.aiClassify({ ctx, text: 'x', intents, threshold: 2 })).rejects.toMatchObject({ nonRetryable: true });
  });
});

describe('aiSentiment (offline)', () => {
  it.each([
    ['El servicio fue excelente, muchas gracias', 'positive', 'es'],
    ['Estoy muy contento con la atención', 'positive', 'es'],
    ['No estoy contento con el pedido', 'negative', 'es'],
    ['Mi pedido no ha llegado y nadie me responde 😡', 'negative', 'es'],
    ['Es una vergüenza, pésimo servicio', 'negative', 'es'],
    ['La app no funciona', 'negative', 'es'],
    ['No está mal', 'positive', 'es'],
    ['Quiero saber el estado de mi pedido', 'neutral', 'es'],
    ['El producto llegó roto', 'negative', 'es'],
    ['Buenas tardes, tengo una consulta', 'neutral', 'es'],
    ['sin problemas, todo perfecto 🙂', 'positive', 'es'],
    ['Nunca volveré a comprar aquí, una estafa', 'negative', 'es'],
    ['The support team was amazing, thank you!', 'positive', 'en'],
    ['I am not happy with this service', 'negative', 'en'],
    ['This is the worst experience ever', 'negative', 'en'],
    ["It doesn't work at all", 'negative', 'en'],
    ['What is the status of my order?', 'neutral', 'en'],
    ['Not bad at all', 'positive', 'en'],
    ['Very good, but extremely slow', 'negative', 'en'],
    ['I love it 😍', 'positive', 'en'],
    ['never again, total waste of time', 'negative', 'en'],
    ['I never had a problem with you', 'neutral', 'en'],
  ])('%s -> %s', async (text, label, language) => {
    const out = await ai.aiSentiment({ ctx, text });
    expect(out.label).toBe(label);
    expect(out.language).toBe(language);
    expect(out.engine).toBe('offline');
    expect(out.score).toBeGreaterThanOrEqual(-1);
    expect(out.score).toBeLessThanOrEqual(1);
  });

  it('intensifiers and negation move the score the right way', async () => {
    const score = async (text: string) => (await ai.aiSentiment({ ctx, text })).score;
    expect(await score('muy bueno')).toBeGreaterThan(await score('bueno'));
    expect(await score('very bad')).toBeLessThan(await score('bad'));
    expect(await score('no es bueno')).toBeLessThan(0);
    expect(await score('😡')).toBeLessThanOrEqual(-0.25);
    expect(await score('🙂')).toBeGreaterThanOrEqual(0.25);
    expect(await score('see https://example.com/a')).toBe(0);
  });

  it('a negator inside a matched phrase does not also negate the words after it', async () => {
    const label = async (text: string) => (await ai.aiSentiment({ ctx, text })).label;
    expect(await label('El pago no funciona y estoy muy enfadado')).toBe('negative');
    expect(await label("The checkout is not working and I'm furious")).toBe('negative');
    expect(await label('No funciona, no estoy contento')).toBe('negative');
    expect(await label('no estoy enfadado')).not.toBe('negative');
  });
});

describe('aiReply (offline, BM25)', () => {
  const turn = (from: ConversationTurn['from'], text: string): ConversationTurn => ({ from, text, at: '2025-11-20T10:00:00Z' });

  it('answers from the right article with its most relevant paragraph', async () => {
    const out = await ai.aiReply({ ctx, question: '¿Cuánto tarda el reembolso en llegar a mi tarjeta?', conversation: [] });
    expect(out.sources[0]).toMatchObject({ id: 'returns', title: 'Devoluciones y reembolsos' });
    expect(out.confidence).toBeGreaterThanOrEqual(0.3);
    expect(out.answer).toContain('5 a 7 días');
    expect(out.answer).not.toContain('personalizados');
    expect(out.engine).toBe('offline');
  });

  it('ranks by the question: shipping, password (English), payment', async () => {
    const top = async (question: string) => (await ai.aiReply({ ctx, question, conversation: [] })).sources[0]?.id;
    expect(await top('¿Cuántos días tarda un envío a Canarias?')).toBe('shipping-times');
    expect(await top('I forgot my password, how do I reset it?')).toBe('password-reset');
    // A Spanish run still answers an English question from the English article.
    const en = await ai.aiReply({ ctx, question: 'I forgot my password, how do I reset it?', conversation: [], locale: 'es' });
    expect(en.sources[0].id).toBe('password-reset');
    expect(await top('¿Puedo pagar con PayPal?')).toBe('payment-methods');
  });

  it('says unsure (answer null) when nothing matches well enough', async () => {
    for (const question of ['¿Tenéis tienda física en Madrid?', 'my order arrived broken']) {
      const out = await ai.aiReply({ ctx, question, conversation: [] });
      expect(out.answer).toBeNull();
      expect(out.confidence).toBeLessThan(0.3);
    }
    const strict = await ai.aiReply({ ctx, question: '¿Cuánto tarda el reembolso?', conversation: [], minConfidence: 1 });
    expect(strict.answer).toBeNull();
  });

  it('uses the last customer message when no question is given, and earlier ones as context', async () => {
    const out = await ai.aiReply({
      ctx,
      question: '',
      conversation: [turn('customer', 'Hola'), turn('bot', '¿En qué te ayudo?'), turn('customer', 'quiero devolver un pedido')],
    });
    expect(out.sources[0].id).toBe('returns');
    const followUp = await ai.aiReply({
      ctx,
      question: '¿y a Canarias?',
      conversation: [turn('customer', '¿Cuánto tarda el envío?'), turn('bot', 'De 24 a 48 horas.'), turn('customer', '¿y a Canarias?')],
    });
    expect(followUp.sources[0].id).toBe('shipping-times');
    expect(followUp.answer).toContain('Canarias');
  });

  it("prefers articles in the question's language", async () => {
    const kb = createStaticKnowledgeBase([
      { id: 'hours-en', title: 'Opening hours', body: 'We open from 9 to 18, Monday to Friday.', locale: 'en' },
      { id: 'hours-es', title: 'Horario de apertura', body: 'Abrimos de 9 a 18, de lunes a viernes. Opening hours: 9 to 18.', locale: 'es' },
    ]);
    const bilingual = createAiActivities({ knowledge: kb });
    const es = await bilingual.aiReply({ ctx, question: '¿Cuál es el horario de apertura?', conversation: [], locale: 'en' });
    expect(es.sources[0].id).toBe('hours-es');
    const en = await bilingual.aiReply({ ctx, question: 'What are your opening hours?', conversation: [], locale: 'es' });
    expect(en.sources.map((s) => s.id)).toEqual(['hours-en']);
  });

  it('searches only the given collection', async () => {
    const kb = createStaticKnowledgeBase([
      { id: 'a', collection: 'faq', title: 'Horario', body: 'Abrimos de 9 a 18.' },
      { id: 'b', collection: 'internal', title: 'Horario del turno de noche', body: 'El turno de noche empieza a las 22.' },
    ]);
    const scoped = createAiActivities({ knowledge: kb });
    const out = await scoped.aiReply({ ctx, question: 'horario', conversation: [], collection: 'faq' });
    expect(out.sources.map((s) => s.id)).toEqual(['a']);
    expect(await kb.list('internal')).toHaveLength(1);
  });
});

describe('aiSummarize (offline)', () => {
  const at = (m: number) => `2025-11-20T10:${String(m).padStart(2, '0')}:00Z`;

  it('mentions the customer, the main request, the mood and the last messages, in Spanish', async () => {
    const out = await ai.aiSummarize({
      ctx,
      conversation: [
        { from: 'customer', text: 'Hola', at: at(0) },
        { from: 'bot', text: '¡Hola! ¿En qué puedo ayudarte?', at: at(1) },
        { from: 'customer', text: 'Me cobraron dos veces el pedido 1234 y quiero que me devuelvan el dinero', at: at(2) },
        { from: 'bot', text: 'Lo siento, voy a revisarlo.', at: at(3) },
        { from: 'customer', text: 'Es la tercera vez que pasa, estoy harto 😡', at: at(4) },
      ],
    });
    expect(out.engine).toBe('offline');
    expect(out.summary).toContain('Resumen para el agente');
    expect(out.summary).toContain('cust-42');
    expect(out.summary).toContain('Solicitud principal: "Me cobraron dos veces el pedido 1234');
    expect(out.summary).toMatch(/Sentimiento actual: negativo/);
    expect(out.summary).toContain('estoy harto');
    expect(out.summary).toContain('Mensajes: 5 (3 del cliente)');
  });

  it('writes English for an English conversation, and honours the locale', async () => {
    const conversation: ConversationTurn[] = [
      { from: 'customer', text: 'My package has not arrived and the tracking number does not work', at: at(0) },
      { from: 'agent', text: 'Let me check that for you.', at: at(5) },
    ];
    const en = await ai.aiSummarize({ ctx, conversation });
    expect(en.summary).toContain('Main request: "My package has not arrived');
    expect(en.summary).toContain('Agent: Let me check');
    const es = await ai.aiSummarize({ ctx, conversation, locale: 'es-ES' });
    expect(es.summary).toContain('Solicitud principal');
  });

  it('handles an empty conversation', async () => {
    const out = await ai.aiSummarize({ ctx, conversation: [], locale: 'en' });
    expect(out.summary).toMatch(/Empty conversation/);
  });
});
