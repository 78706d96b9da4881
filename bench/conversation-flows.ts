/** The flows of the conversation benchmarks (api-conversations.ts, floor.ts) and their customers' messages. */
export const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target });

/** Two intents, three examples each (Spanish and English), as a CX lead types them. */
export const CLASSIFY_INTENTS = [
  { id: 'billing', examples: ['me han cobrado dos veces', 'quiero mi factura', 'I was charged twice'] },
  { id: 'shipping', examples: ['¿dónde está mi pedido?', 'no me ha llegado el paquete', 'where is my order'] },
];

/** start → hi → ask → classify → answer → end: one customer turn ends the run. */
export const classifyFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: '¿En qué puedo ayudarte?', variable: 'said' } },
    {
      id: 'classify',
      type: 'ai.classify',
      data: {
        threshold: 0.2,
        intents: CLASSIFY_INTENTS,
      },
    },
    { id: 'answer', type: 'message', data: { text: 'Entendido ({{ nodes.classify.output.intent | default: "otro" }}); te escribimos por correo.' } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: '¡Hasta pronto!' } },
  ],
  edges: [
    edge('start', 'next', 'hi'),
    edge('hi', 'next', 'ask'),
    edge('ask', 'reply', 'classify'),
    edge('classify', 'billing', 'answer'),
    edge('classify', 'shipping', 'answer'),
    edge('classify', 'fallback', 'answer'),
    edge('answer', 'next', 'end'),
  ],
};

/** start → hi → ask → end: the API and Temporal overhead of a conversation, no activity. */
export const plainFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: '¿En qué puedo ayudarte?', variable: 'said' } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: 'Gracias, {{ vars.said | truncate: 20 }} queda anotado.' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'ask'), edge('ask', 'reply', 'end')],
};

/** The customer's word that ends a chatLoopFlow conversation. */
export const GOODBYE = 'adiós';

/** start → hi → ask ⟲ until GOODBYE → end: a chat turn that keeps the run waiting, no activity (as api-chat-turn.ts's `loop`). */
export const chatLoopFlow = {
  nodes: [
    { id: 'start', type: 'start', data: { trigger: 'api' } },
    { id: 'hi', type: 'message', data: { text: 'Hola, soy el asistente.' } },
    { id: 'ask', type: 'ask', data: { text: '¿Algo más?', variable: 'said' } },
    { id: 'done', type: 'condition', data: { rule: { '==': [{ var: 'vars.said' }, GOODBYE] } } },
    { id: 'end', type: 'end', data: { outcome: 'resolved', message: 'Hasta luego' } },
  ],
  edges: [edge('start', 'next', 'hi'), edge('hi', 'next', 'ask'), edge('ask', 'reply', 'done'), edge('done', 'true', 'end'), edge('done', 'false', 'ask')],
};

export const MESSAGES = ['¿dónde está mi pedido?', 'me han cobrado dos veces', 'where is my order', 'hola', 'I was charged twice'];
