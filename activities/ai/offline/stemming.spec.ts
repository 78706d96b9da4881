import { analyse, MAX_CORRECTED_WORDS } from './analyse';
import { conceptsOfStems } from './concepts';
import { stem, stemAs } from './stemming';
import { fold } from './text';

const stems = (words: string) => new Set(words.split(' ').map((w) => stem(fold(w))));

describe('stemming (Snowball, Spanish and English)', () => {
  it.each([
    'pedido pedidos',
    'factura facturas facturación facturacion facturar',
    'cancelar cancelación cancelacion cancela cancelen cancelled cancellation',
    'refund refunds refunded refunding',
    'shipping shipped ship ships',
    'reembolso reembolsos reembolsar reembolsen',
    'devolver devuelvan devuelven',
    'contraseña contrasena contraseñas',
    'aceptamos aceptáis aceptais aceptar aceptado aceptados',
    'charge charged charges',
  ])('joins %s', (group) => {
    expect(stems(group).size).toBe(1);
  });

  it('keeps false friends apart when the language is known', () => {
    expect(stemAs('page', 'en')).not.toBe(stemAs('pago', 'es'));
    expect(stemAs('pagar', 'es')).toBe(stemAs('pago', 'es'));
  });

  it('never stems a word to fewer than three letters', () => {
    for (const w of ['red', 'sed', 'ido', 'used', 'dies']) expect(stem(w).length).toBeGreaterThanOrEqual(3);
  });
});

describe('customer-service concepts', () => {
  it.each([
    ['¿Dónde está mi paquete?', 'order'],
    ['where is my parcel', 'order'],
    ['quiero un reembolso', 'refund'],
    ['I want my money back', 'refund'],
    ['pásame con un asesor', 'human'],
    ['can I talk to a real person', 'human'],
    ['quiero darme de baja', 'cancel'],
    ['me cobraron de más', 'charge'],
    ['olvidé mi contrasena', 'password'],
    ['el producto llegó roto', 'defect'],
    // A combination: money that comes back is a refund.
    ['el dinero todavía no ha vuelto a mi cuenta', 'refund'],
  ])('%j mentions %s', (text, concept) => {
    expect(analyse(text).concepts).toContain(concept);
  });

  it('matches a phrase before its words, and never a stopword alone', () => {
    // "contra reembolso" is a way to pay, not a refund.
    expect(analyse('¿puedo pagar contra reembolso?').concepts).toEqual(expect.arrayContaining(['payment', 'paymentMeans']));
    expect(analyse('¿puedo pagar contra reembolso?').concepts).not.toContain('refund');
    // "para" stems like "parar"; alone it is a stopword and means nothing.
    expect(conceptsOfStems(['par'], [true])).toEqual([]);
  });

  it('does not make a refund of money alone, or of coming back alone', () => {
    expect(analyse('¿cuánto dinero cuesta el envío?').concepts).not.toContain('refund');
    expect(analyse('volveré a comprar seguro').concepts).not.toContain('refund');
  });

  it('corrects only the first words of a very long text (a paste cannot hold the worker)', () => {
    const speller = { correct: (w: string) => (w === 'reembolzo' ? 'reembolso' : w) };
    const filler = Array.from({ length: MAX_CORRECTED_WORDS }, (_, i) => `palabra${i}`).join(' ');
    expect(analyse(`reembolzo ${filler}`, speller).concepts).toContain('refund');
    expect(analyse(`${filler} reembolzo`, speller).concepts).not.toContain('refund');
  });

  it('corrects typos to words the lexicon knows', () => {
    const corrected = analyse('quiero el reembolzo', { correct: (w) => (w === 'reembolzo' ? 'reembolso' : w) });
    expect(corrected.concepts).toContain('refund');
  });
});
