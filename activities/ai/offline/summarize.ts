import type { ConversationTurn } from '../../../contracts/activities';
import { analyzeSentiment } from './sentiment';
import { contentWords, detectLanguage, languageOfLocale } from './text';
import { truncateAtSentence } from './bm25';

/**
 * An extractive hand-off summary for the agent who takes over a conversation: who the customer is,
 * their main request (the first substantial customer message: at least 3 content words or 25
 * characters, so greetings are skipped), how they feel now (offline sentiment of their last three
 * messages), the size and span of the conversation, and its last messages. Written in the
 * conversation's language (the locale if given, else detected from the customer's messages;
 * Spanish when unknown, Cauce's first language).
 */
export interface SummaryOptions {
  customerId?: string;
  locale?: string;
}

const TEXT = {
  es: {
    title: 'Resumen para el agente',
    customer: 'Cliente',
    unknownCustomer: 'sin identificar',
    request: 'Solicitud principal',
    noRequest: '(el cliente aún no ha explicado su consulta)',
    sentiment: 'Sentimiento actual',
    labels: { negative: 'negativo', neutral: 'neutral', positive: 'positivo' },
    messages: (total: number, fromCustomer: number) => `Mensajes: ${total} (${fromCustomer} del cliente)`,
    span: (from: string, to: string) => `, entre ${from} y ${to}`,
    last: 'Últimos mensajes',
    speakers: { customer: 'Cliente', bot: 'Bot', agent: 'Agente', system: 'Sistema' },
    empty: 'Conversación vacía: no hay mensajes.',
  },
  en: {
    title: 'Summary for the agent',
    customer: 'Customer',
    unknownCustomer: 'unidentified',
    request: 'Main request',
    noRequest: '(the customer has not explained the request yet)',
    sentiment: 'Current sentiment',
    labels: { negative: 'negative', neutral: 'neutral', positive: 'positive' },
    messages: (total: number, fromCustomer: number) => `Messages: ${total} (${fromCustomer} from the customer)`,
    span: (from: string, to: string) => `, between ${from} and ${to}`,
    last: 'Last messages',
    speakers: { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' },
    empty: 'Empty conversation: no messages.',
  },
};

const LAST_MESSAGES = 4;
const QUOTE_CHARS = 280;

export function isSubstantial(text: string): boolean {
  return contentWords(text).length >= 3 || text.trim().length >= 25;
}

export function summarizeConversation(conversation: ConversationTurn[], options: SummaryOptions = {}): string {
  const turns = conversation.filter((t) => t.text && t.text.trim());
  const customerTurns = turns.filter((t) => t.from === 'customer');
  const detected = detectLanguage(customerTurns.map((t) => t.text).join('\n') || turns.map((t) => t.text).join('\n'));
  const lang = languageOfLocale(options.locale) ?? (detected === 'unknown' ? 'es' : detected);
  const T = TEXT[lang];
  if (turns.length === 0) return T.empty;

  const lines = [T.title, `${T.customer}: ${options.customerId ?? T.unknownCustomer}`];
  const main = customerTurns.find((t) => isSubstantial(t.text)) ?? customerTurns[0];
  lines.push(`${T.request}: ${main ? `"${quote(main.text)}"` : T.noRequest}`);
  if (customerTurns.length > 0) {
    const recent = customerTurns
      .slice(-3)
      .map((t) => t.text)
      .join('\n');
    const s = analyzeSentiment(recent);
    lines.push(`${T.sentiment}: ${T.labels[s.label]} (${s.score.toFixed(2)})`);
  }
  const first = timeOf(turns[0].at);
  const last = timeOf(turns[turns.length - 1].at);
  lines.push(T.messages(turns.length, customerTurns.length) + (first && last ? T.span(first, last) : ''));
  lines.push(`${T.last}:`);
  for (const t of turns.slice(-LAST_MESSAGES)) lines.push(`- ${T.speakers[t.from] ?? t.from}: ${quote(t.text)}`);
  return lines.join('\n');
}

function quote(text: string): string {
  return truncateAtSentence(text.replace(/\s+/g, ' ').trim(), QUOTE_CHARS);
}

/** "2025-11-20 10:04 UTC", or undefined for a missing or invalid time. */
function timeOf(at: string | undefined): string | undefined {
  if (!at) return undefined;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return undefined;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
