import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FlowActivities } from '../contracts/activities';
import type { InboundMessage, MessageResult } from '../contracts/run';

const ai = proxyLocalActivities<Pick<FlowActivities, 'aiClassify' | 'aiReply'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 4 },
});

const messageUpdate = defineUpdate<MessageResult, [InboundMessage]>('message');

export const SUPPORT_INTENTS = [
  { id: 'billing', examples: ['me han cobrado dos veces', 'quiero mi factura', 'I was charged twice', 'refund my payment'] },
  { id: 'shipping', examples: ['¿dónde está mi pedido?', 'no me ha llegado el paquete', 'where is my order', 'track my parcel'] },
];

/**
 * The same steps as the benchmark's flow, written by hand: greet, then for every customer message
 * classify it, answer from the knowledge base with the conversation as context (as the ai.reply node
 * does: its last 20 messages), and ask again. The interpreter is measured against it.
 */
export async function handWrittenChatWorkflow(): Promise<void> {
  const inbox: string[] = [];
  const out: string[] = [];
  const transcript: { from: 'customer' | 'bot'; text: string; at: string }[] = [];
  const say = (text: string) => {
    out.push(text);
    transcript.push({ from: 'bot', text, at: new Date().toISOString() });
  };
  let idle = false;
  let done = false;
  setHandler(messageUpdate, async (m) => {
    inbox.push(m.text);
    transcript.push({ from: 'customer', text: m.text, at: new Date().toISOString() });
    await condition(() => idle && inbox.length === 0);
    const replies = out.splice(0).map((text) => ({ from: 'bot' as const, text, at: new Date().toISOString() }));
    return { replies, status: 'waiting', waitingFor: 'reply', currentNode: 'ask' };
  });
  say('¡Hola! Soy el asistente de soporte.');
  for (let turn = 0; !done; turn++) {
    say('¿En qué puedo ayudarte?');
    idle = true;
    await condition(() => inbox.length > 0);
    idle = false;
    const text = inbox.shift()!;
    const ctx = { runId: 'x', flowId: 'hand', nodeId: 'classify', idempotencyKey: `x:${turn}` };
    const c = await ai.aiClassify({ ctx, text, intents: SUPPORT_INTENTS, threshold: 0.2, locale: 'es' });
    const r = await ai.aiReply({ ctx, question: text, conversation: transcript.slice(-20), minConfidence: 0.1, locale: 'es' });
    if (r.answer) say(r.answer);
    else say(c.intent ? `Entendido: ${c.intent}` : 'No te he entendido.');
    if (turn > 10_000) done = true;
  }
}
