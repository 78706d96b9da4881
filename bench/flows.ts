import type { FlowDefinition } from '../workflows/language';
import { SUPPORT_INTENTS } from './hand-written.workflow';

/** The benchmark's chat flow, the interpreter's twin of `handWrittenChatWorkflow`. */
export const benchChatFlow: FlowDefinition = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: '¡Hola! Soy el asistente de soporte.' } },
    { id: 'ask', type: 'ask', data: { text: '¿En qué puedo ayudarte?', variable: 'question' } },
    { id: 'classify', type: 'ai.classify', data: { intents: SUPPORT_INTENTS, threshold: 0.2 } },
    { id: 'reply', type: 'ai.reply', data: { minConfidence: 0.1 } },
    { id: 'notSure', type: 'message', data: { text: 'No te he entendido.' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
    { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'ask' },
    { id: 'e3', source: 'ask', sourceHandle: 'reply', target: 'classify' },
    { id: 'e4', source: 'classify', sourceHandle: 'billing', target: 'reply' },
    { id: 'e5', source: 'classify', sourceHandle: 'shipping', target: 'reply' },
    { id: 'e6', source: 'classify', sourceHandle: 'fallback', target: 'reply' },
    { id: 'e7', source: 'reply', sourceHandle: 'answered', target: 'ask' },
    { id: 'e8', source: 'reply', sourceHandle: 'unsure', target: 'notSure' },
    { id: 'e9', source: 'notSure', sourceHandle: 'next', target: 'ask' },
  ],
};

export const BENCH_ARTICLES = [
  { title: 'Estado del pedido', body: 'Puedes seguir tu pedido desde el enlace del correo de envío. Los pedidos llegan en 48 horas laborables.' },
  { title: 'Cobros duplicados', body: 'Si te hemos cobrado dos veces, el segundo cargo se anula automáticamente en 3 a 5 días.' },
  { title: 'Order tracking', body: 'Track your order with the link in the shipping email. Orders arrive within two business days.' },
];

export const BENCH_MESSAGES = ['¿dónde está mi pedido?', 'me han cobrado dos veces', 'where is my order', 'I was charged twice'];
