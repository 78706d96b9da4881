import { parseDuration } from '../../language/duration';
import { evaluateRule } from '../../language/rules';
import type {
  AiClassifyData,
  AiReplyData,
  AiSentimentData,
  CrmLookupData,
  CrmTicketData,
  CrmUpdateData,
  CustomActivityData,
  FlowNode,
  HttpData,
  NotifyData,
  ScoreChurnData,
} from '../../language';
import type { CustomerRecord } from '../../../contracts/activities';
import { ai, channels, crm, customActivity, httpActivity, scoring } from '../activities';
import { NodeError, Run } from '../run';
import { callActivity } from './call';
import { deliver } from './conversation';
import type { NodeHandler } from './types';

/** The text an AI node reads: its template, or the customer's last message. */
function subjectText(run: Run, node: FlowNode, template: string | undefined, field: string): string {
  return template !== undefined ? run.render(node, template, field) : run.last?.text ?? '';
}

export const aiClassify: NodeHandler<AiClassifyData> = async (node, run) => {
  const { intents, threshold } = node.data;
  const text = subjectText(run, node, node.data.text, 'text');
  // AI nodes have no `error` branch: a model that stays down after the retries takes the branch the
  // flow already has for "not understood" (fallback / neutral / unsure) instead of failing the run.
  const r = await callActivity(
    run,
    node,
    () => ai.aiClassify({ ctx: run.activityContext(node), text, intents, ...(threshold !== undefined ? { threshold } : {}), locale: run.locale }),
    'fallback',
  );
  if (!r.ok) return { branch: 'fallback', output: { intent: null, error: r.error } };
  const intent = r.value.intent && intents.some((i) => i.id === r.value.intent) ? r.value.intent : null;
  run.emit('ai.classified', node.id, { intent, confidence: r.value.confidence, engine: r.value.engine, ...(r.value.usage ? { usage: r.value.usage } : {}) });
  return { branch: intent ?? 'fallback', output: { intent, confidence: r.value.confidence, scores: r.value.scores } };
};

export const aiSentiment: NodeHandler<AiSentimentData> = async (node, run) => {
  const text = subjectText(run, node, node.data.text, 'text');
  const r = await callActivity(run, node, () => ai.aiSentiment({ ctx: run.activityContext(node), text }), 'neutral');
  if (!r.ok) return { branch: 'neutral', output: { label: 'neutral', error: r.error } };
  run.emit('ai.sentiment', node.id, { label: r.value.label, score: r.value.score, ...(r.value.usage ? { usage: r.value.usage } : {}) });
  return { branch: r.value.label, output: { label: r.value.label, score: r.value.score, language: r.value.language } };
};

export const aiReply: NodeHandler<AiReplyData> = async (node, run) => {
  const question = subjectText(run, node, node.data.question, 'question');
  const r = await callActivity(run, node, () =>
    ai.aiReply({
      ctx: run.activityContext(node),
      question,
      conversation: run.transcript.slice(-20).map((t) => ({ from: t.from, text: t.text, at: t.at })),
      ...(node.data.collection ? { collection: node.data.collection } : {}),
      ...(node.data.minConfidence !== undefined ? { minConfidence: node.data.minConfidence } : {}),
      locale: run.locale,
    }),
    'unsure',
  );
  if (!r.ok) return { branch: 'unsure', output: { answer: null, error: r.error } };
  const { answer, confidence, sources } = r.value;
  const answered = answer !== null && answer.trim() !== '';
  run.emit('ai.reply', node.id, { answered, confidence, sources: sources.map((s) => s.id), ...(r.value.usage ? { usage: r.value.usage } : {}) });
  if (answered && node.data.sendReply !== false) {
    const delivering = deliver(run, node, answer!, undefined, { patch: run.patches.deliverAllTexts });
    if (delivering) await delivering;
  }
  return { branch: answered ? 'answered' : 'unsure', output: { answer, confidence, sources } };
};

/**
 * The customer as rules and templates read it. The CRM keeps custom fields under `attributes`, while
 * flows read them as `customer.tier` or `customer.lastPurchaseAt` (the node defaults and the seed
 * journeys do), so the attributes are also exposed at the top level. The record's own fields (`id`,
 * `name`, `email`, `phone`, `tags`, `attributes`) win on a clash; `customer.attributes.X` still works.
 */
export function customerScope(record: CustomerRecord): Record<string, unknown> {
  return { ...(record.attributes ?? {}), ...record };
}

export const crmLookup: NodeHandler<CrmLookupData> = async (node, run) => {
  const value = run.render(node, node.data.value, 'value').trim();
  const r = await callActivity(run, node, () => crm.crmLookup({ ctx: run.activityContext(node), by: node.data.by, value }));
  if (!r.ok || !r.value.found || !r.value.customer) return { branch: 'notFound', output: { found: false } };
  run.customer = customerScope(r.value.customer);
  return { branch: 'found', output: { found: true, customer: r.value.customer } };
};

function customerIdOf(run: Run, node: FlowNode): string {
  const id = (run.customer?.id as string | undefined) ?? run.input.customerId;
  if (!id) throw new NodeError(node.id, `Node ${run.label(node)} needs a customer: start the run with a customerId or look the customer up first`);
  return id;
}

export const crmUpdate: NodeHandler<CrmUpdateData> = async (node, run) => {
  const fields = Object.fromEntries(Object.entries(node.data.fields ?? {}).map(([k, t]) => [k, run.render(node, t, `fields.${k}`)]));
  const r = await callActivity(run, node, () =>
    crm.crmUpdate({
      ctx: run.activityContext(node),
      customerId: customerIdOf(run, node),
      fields,
      ...(node.data.addTags ? { addTags: node.data.addTags } : {}),
      ...(node.data.removeTags ? { removeTags: node.data.removeTags } : {}),
    }),
  );
  if (r.ok) run.customer = customerScope(r.value.customer);
  return { branch: 'next', output: r.ok ? { updated: true } : { updated: false, error: r.error } };
};

export const crmTicket: NodeHandler<CrmTicketData> = async (node, run) => {
  const subject = run.render(node, node.data.subject, 'subject');
  const description = node.data.description !== undefined ? run.render(node, node.data.description, 'description') : undefined;
  const customerId = (run.customer?.id as string | undefined) ?? run.input.customerId;
  const r = await callActivity(run, node, () =>
    crm.crmTicket({
      ctx: run.activityContext(node),
      ...(customerId ? { customerId } : {}),
      subject,
      ...(description !== undefined ? { description } : {}),
      priority: node.data.priority,
    }),
  );
  if (r.ok) run.emit('ticket.created', node.id, { ticketId: r.value.ticketId });
  return { branch: 'next', output: r.ok ? { ticketId: r.value.ticketId } : { ticketId: null, error: r.error } };
};

export const notify: NodeHandler<NotifyData> = async (node, run) => {
  const r = await callActivity(run, node, () =>
    channels.notify({
      ctx: run.activityContext(node),
      channel: node.data.channel,
      to: run.render(node, node.data.to, 'to'),
      ...(node.data.subject !== undefined ? { subject: run.render(node, node.data.subject, 'subject') } : {}),
      text: run.render(node, node.data.text, 'text'),
      purpose: 'notify',
    }),
  );
  if (!r.ok) return { branch: 'error', output: { error: r.error } };
  run.emit('notification', node.id, { channel: node.data.channel, status: r.value.status });
  return { branch: 'next', output: r.value };
};

export const http: NodeHandler<HttpData> = async (node, run) => {
  const timeoutMs = node.data.timeout ? parseDuration(node.data.timeout) : 10_000;
  const headers = Object.fromEntries(Object.entries(node.data.headers ?? {}).map(([k, t]) => [k, run.render(node, t, `headers.${k}`)]));
  const call = httpActivity(timeoutMs);
  const r = await callActivity(run, node, () =>
    call({
      ctx: run.activityContext(node),
      method: node.data.method,
      url: run.render(node, node.data.url, 'url'),
      headers,
      ...(node.data.secretHeaders ? { secretHeaders: node.data.secretHeaders } : {}),
      ...(node.data.body !== undefined ? { body: run.render(node, node.data.body, 'body') } : {}),
      timeoutMs,
    }),
  );
  if (!r.ok) return { branch: 'error', output: { ok: false, error: r.error } };
  if (node.data.variable && r.value.ok) run.vars[node.data.variable] = r.value.body;
  return { branch: r.value.ok ? 'ok' : 'error', output: { ok: r.value.ok, status: r.value.status, body: r.value.body } };
};

export const scoreChurn: NodeHandler<ScoreChurnData> = async (node, run) => {
  const variable = node.data.variable ?? 'churnScore';
  const scope = run.scope();
  const features: Record<string, unknown> = { ...((run.customer?.attributes as Record<string, unknown> | undefined) ?? {}) };
  for (const [name, rule] of Object.entries(node.data.features ?? {})) {
    try {
      features[name] = evaluateRule(rule, scope);
    } catch (err) {
      throw new NodeError(node.id, `Node ${run.label(node)}: feature "${name}" failed: ${(err as Error).message}`, err);
    }
  }
  const r = await callActivity(run, node, () => scoring.scoreChurn({ ctx: run.activityContext(node), features }));
  if (!r.ok) return { branch: 'next', output: { score: null, error: r.error } };
  run.vars[variable] = r.value.score;
  run.emit('score.churn', node.id, { score: r.value.score });
  return { branch: 'next', output: r.value };
};

export const custom: NodeHandler<CustomActivityData> = async (node, run) => {
  const name = node.type.slice('activity:'.length);
  // String inputs are templates; other JSON values pass through as they are.
  const input = Object.fromEntries(
    Object.entries(node.data.input ?? {}).map(([k, v]) => [k, typeof v === 'string' ? run.render(node, v, `input.${k}`) : v]),
  );
  const r = await callActivity(run, node, () => customActivity(name)({ ctx: run.activityContext(node), input }));
  if (!r.ok) return { branch: 'error', output: { error: r.error } };
  return { branch: 'ok', output: r.value };
};
