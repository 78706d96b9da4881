/** Built-in customer-facing texts, used when a node does not set its own. */
export const DEFAULT_TEXTS = {
  es: {
    invalidReply: 'No he entendido tu respuesta. ¿Puedes intentarlo de nuevo?',
    csatQuestion: 'Del 1 al 5, ¿cómo valoras la atención recibida?',
    escalationWaiting: 'Te estoy pasando con una persona del equipo. Un momento, por favor.',
    escalationNextTier: 'Seguimos buscando a alguien disponible; te pasamos al siguiente nivel de atención.',
    escalationAccepted: '{{ agent }} se ha unido a la conversación.',
    escalationUnresolved: 'Ahora mismo no hay nadie disponible. Hemos registrado tu caso y te contactaremos lo antes posible.',
    escalationReturned: 'Vuelves a hablar con el asistente virtual.',
    escalationResolved: 'Tu caso se ha resuelto. ¡Gracias por contactarnos!',
  },
  en: {
    invalidReply: "I didn't understand your reply. Could you try again?",
    csatQuestion: 'From 1 to 5, how would you rate the help you received?',
    escalationWaiting: "I'm handing you over to a member of our team. One moment, please.",
    escalationNextTier: "We're still looking for someone available; moving you to the next support level.",
    escalationAccepted: '{{ agent }} joined the conversation.',
    escalationUnresolved: "Nobody is available right now. We've logged your case and will get back to you as soon as possible.",
    escalationReturned: "You're back with the virtual assistant.",
    escalationResolved: 'Your case is resolved. Thank you for contacting us!',
  },
} as const;

export type TextKey = keyof (typeof DEFAULT_TEXTS)['es'];
