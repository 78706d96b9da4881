/** Support triage: greet, listen, route angry customers to humans, answer the rest with AI, survey. */
import type { FlowDefinition } from '../types';
import { edge, node } from './build';

export const supportTriage: FlowDefinition = {
  nodes: [
    node('start', 'start', { label: 'Mensaje entrante', trigger: 'message', channel: 'chat' }, 0, 0),
    node('greet', 'message', { label: 'Saludo', text: '¡Hola{% if customer.name %} {{ customer.name }}{% endif %}! Soy el asistente de soporte.' }, 0, 120),
    node('ask', 'ask', { label: 'Preguntar el problema', text: 'Cuéntame, ¿en qué puedo ayudarte?', variable: 'problem', timeout: '30m' }, 0, 240),
    node('sentiment', 'ai.sentiment', { label: 'Sentimiento', text: '{{ vars.problem }}' }, 0, 360),
    node(
      'classify',
      'ai.classify',
      {
        label: 'Clasificar intención',
        text: '{{ vars.problem }}',
        threshold: 0.5,
        intents: [
          { id: 'billing', description: 'Invoices, charges and refunds', examples: ['me han cobrado dos veces', 'quiero mi factura', 'I was charged twice'] },
          {
            id: 'shipping',
            description: 'Order delivery and tracking',
            examples: ['¿dónde está mi pedido?', 'no me ha llegado el paquete', 'where is my order'],
          },
          { id: 'account', description: 'Login and account settings', examples: ['no puedo entrar', 'cambiar mi contraseña', 'reset my password'] },
        ],
      },
      250,
      480,
    ),
    node(
      'reply',
      'ai.reply',
      { label: 'Responder con la base de conocimiento', question: '{{ vars.problem }}', minConfidence: 0.6, collection: 'support', sendReply: true },
      250,
      600,
    ),
    node('csat', 'csat', { label: 'Encuesta', question: '¿Cómo valorarías la ayuda recibida, de 1 a 5?', timeout: '1d' }, 250, 720),
    node(
      'escalate',
      'escalate',
      {
        label: 'Pasar a un agente',
        tiers: [
          { id: 'l1', queue: 'support-l1', notify: [{ channel: 'slack', to: '#soporte' }], sla: '5m' },
          {
            id: 'l2',
            queue: 'support-l2',
            notify: [
              { channel: 'email', to: 'supervisores@example.com' },
              { channel: 'sms', to: '+34600000000' },
            ],
            sla: '15m',
          },
        ],
        messages: {
          waiting: 'Te paso con una persona del equipo; enseguida te atiende.',
          accepted: '{{ nodes.escalate.output.agent.name | default: "Un agente" }} se ha unido a la conversación.',
          nextTier: 'Seguimos buscando a alguien disponible, gracias por tu paciencia.',
          unresolved: 'Ahora mismo no hay nadie disponible. Te escribiremos por email.',
        },
        includeSummary: true,
        maxConversation: '2h',
      },
      -250,
      600,
    ),
    node('endResolved', 'end', { label: 'Resuelto', outcome: 'resolved', message: '¡Gracias por escribirnos!' }, 250, 840),
    node('endEscalated', 'end', { label: 'Resuelto por un agente', outcome: 'escalated' }, -250, 840),
    node('endAbandoned', 'end', { label: 'Abandonado', outcome: 'abandoned' }, -500, 840),
  ],
  edges: [
    edge('start', 'next', 'greet'),
    edge('greet', 'next', 'ask'),
    edge('ask', 'reply', 'sentiment'),
    edge('ask', 'timeout', 'endAbandoned'),
    edge('sentiment', 'negative', 'escalate'),
    edge('sentiment', 'neutral', 'classify'),
    edge('sentiment', 'positive', 'classify'),
    edge('classify', 'billing', 'reply'),
    edge('classify', 'shipping', 'reply'),
    edge('classify', 'account', 'reply'),
    edge('classify', 'fallback', 'escalate'),
    edge('reply', 'answered', 'csat'),
    edge('reply', 'unsure', 'escalate'),
    edge('csat', 'next', 'endResolved'),
    edge('csat', 'timeout', 'endResolved'),
    edge('escalate', 'resolved', 'endEscalated'),
    edge('escalate', 'returned', 'csat'),
    edge('escalate', 'unresolved', 'endAbandoned'),
  ],
};
