import { parseDuration } from '../../language/duration';
import { safeRegExp } from '../../language/safe-regex';
import { foldText } from '../../language/text';
import type { AskData, CsatData, FlowNode, MessageData } from '../../language';
import { channels } from '../activities';
import { NodeError, type Run } from '../run';
import { callActivity } from './call';
import type { NodeHandler, NodeResult } from './types';
import type { ResumePoint } from '../../../contracts/run';

/** Patch id: end, ai.reply and escalate texts are delivered on email/SMS/WhatsApp (they were transcript-only). */

/**
 * Says `text` to the customer. On chat, messages go back through the Update; on other channels they
 * are delivered by notify. Every customer-facing text goes through here (message, ask, csat, end,
 * ai.reply, escalate), or email/SMS/WhatsApp customers never receive it.
 *
 * Returns a promise only when there is something to wait for (a notify off chat): on chat it is
 * synchronous, which spares the chat turn promises (each costs a stack capture in the SDK's hook).
 */
export function deliver(
  run: Run,
  node: FlowNode,
  text: string,
  buttons?: { label: string; value: string }[],
  options: { from?: 'bot' | 'system'; patch?: boolean } = {},
): Promise<void> | undefined {
  run.say(node.id, text, { buttons, from: options.from ?? 'bot' });
  const channel = (node.data as { channel?: string }).channel ?? run.input.channel ?? 'chat';
  if (channel === 'chat') return undefined;
  // Call sites that used to only write the transcript pass a patch id, so runs recorded before they
  // delivered replay without the new notify (asked only off chat: chat histories stay unchanged).
  if (options.patch === false) return undefined;
  const to = String((run.customer as Record<string, unknown> | null)?.[channel === 'email' ? 'email' : 'phone'] ?? run.input.input?.[channel === 'email' ? 'email' : 'phone'] ?? '');
  if (!to) return undefined;
  return callActivity(run, node, () =>
    channels.notify({ ctx: run.activityContext(node), channel: channel as 'email' | 'sms' | 'whatsapp', to, text, purpose: 'message' }),
  ).then(() => undefined);
}

export const message: NodeHandler<MessageData> = (node, run) => {
  const text = run.render(node, node.data.text, 'text');
  const buttons = node.data.buttons?.map((b) => ({ label: run.render(node, b.label, 'buttons.label'), value: b.value }));
  const delivering = deliver(run, node, text, buttons);
  return delivering ? delivering.then(() => ({ branch: 'next' })) : { branch: 'next' };
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ().-]{7,20}$/;

function validateReply(data: AskData, text: string): { ok: true; value: unknown; branch: string } | { ok: false } {
  const trimmed = text.trim();
  if (data.options?.length) {
    const folded = foldText(trimmed);
    const index = /^\d+$/.test(folded) ? Number(folded) - 1 : -1;
    const option =
      data.options[index] ??
      data.options.find((o) => [o.value, o.label, ...(o.synonyms ?? [])].some((candidate) => foldText(candidate) === folded));
    return option ? { ok: true, value: option.value, branch: option.value } : { ok: false };
  }
  const v = data.validation;
  if (!v || v.kind === 'none') return { ok: true, value: trimmed, branch: 'reply' };
  switch (v.kind) {
    case 'email':
      // Bounded: EMAIL backtracks quadratically on a long line of dots.
      return trimmed.length <= 254 && EMAIL.test(trimmed) ? { ok: true, value: trimmed.toLowerCase(), branch: 'reply' } : { ok: false };
    case 'phone':
      return PHONE.test(trimmed) && trimmed.replace(/\D/g, '').length >= 7 ? { ok: true, value: trimmed.replace(/[^\d+]/g, ''), branch: 'reply' } : { ok: false };
    case 'number': {
      const n = Number(trimmed.replace(',', '.'));
      if (!Number.isFinite(n) || (v.min !== undefined && n < v.min) || (v.max !== undefined && n > v.max)) return { ok: false };
      return { ok: true, value: n, branch: 'reply' };
    }
    case 'regex':
      return safeRegExp(v.pattern ?? '').test(trimmed) ? { ok: true, value: trimmed, branch: 'reply' } : { ok: false };
  }
  return { ok: true, value: trimmed, branch: 'reply' };
}

/**
 * Waits for the next customer message, continuing as new first when the history has grown long:
 * a long conversation spends most of its time right here. A message typed ahead is taken at once.
 */
function nextReply(run: Run, resume: ResumePoint): string | { continueAsNew: ResumePoint } | Promise<string | 'timeout'> {
  if (run.inbox.length > 0) return run.inbox.shift()!.text;
  if (run.shouldContinueAsNew()) return { continueAsNew: resume };
  return run.waitUntil('reply', () => run.inbox.length > 0, resume.deadline).then((arrived) => (arrived ? run.inbox.shift()!.text : 'timeout'));
}

export const ask: NodeHandler<AskData> = async (node, run, resume) => {
  const data = node.data;
  const maxAttempts = data.maxAttempts ?? 3;
  let attempts = resume?.attempts ?? 0;
  const deadline = resume?.deadline ?? (data.timeout ? run.now() + parseDuration(data.timeout) : undefined);
  if (!resume) {
    const buttons = data.options?.map((o) => ({ label: run.render(node, o.label, 'options.label'), value: o.value }));
    // Messages typed before the question are kept: customers type ahead.
    const delivering = deliver(run, node, run.render(node, data.text, 'text'), buttons);
    if (delivering) await delivering;
  }
  for (;;) {
    const next = nextReply(run, { nodeId: node.id, attempts, ...(deadline !== undefined ? { deadline } : {}) });
    const reply = next instanceof Promise ? await next : next;
    if (typeof reply === 'object') return { branch: null, continueAsNew: reply.continueAsNew };
    if (reply === 'timeout') return { branch: 'timeout', output: { answered: false, attempts } };
    let result: ReturnType<typeof validateReply>;
    try {
      result = validateReply(data, reply);
    } catch (err) {
      // A pattern RE2 cannot run (published before patterns were checked on RE2) fails this node.
      throw new NodeError(node.id, `Node ${run.label(node)}: the validation pattern failed: ${(err as Error).message}`, err);
    }
    if (result.ok) {
      run.vars[data.variable] = result.value;
      return { branch: result.branch, output: { value: result.value, text: reply, attempts: attempts + 1 } };
    }
    attempts++;
    run.emit('ask.invalid', node.id, { attempts });
    if (attempts >= maxAttempts) return { branch: 'invalid', output: { answered: false, text: reply, attempts } };
    const delivering = deliver(run, node, run.text('invalidReply', node, data.invalidText));
    if (delivering) await delivering;
  }
};

const CSAT_WORDS: Record<string, number> = {
  '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, one: 1, two: 2, three: 3, four: 4, five: 5,
  '😡': 1, '😞': 2, '😐': 3, '🙂': 4, '😀': 5, '😍': 5,
};

function parseScore(text: string): number | null {
  const folded = foldText(text.trim());
  const direct = CSAT_WORDS[folded] ?? CSAT_WORDS[text.trim()];
  if (direct) return direct;
  const digit = /(^|\D)([1-5])(\D|$)/.exec(folded);
  if (digit) return Number(digit[2]);
  const stars = (text.match(/⭐|★/g) ?? []).length;
  return stars >= 1 && stars <= 5 ? stars : null;
}

export const csat: NodeHandler<CsatData> = async (node, run, resume) => {
  const variable = node.data.variable ?? 'csat';
  let attempts = resume?.attempts ?? 0;
  const deadline = resume?.deadline ?? (node.data.timeout ? run.now() + parseDuration(node.data.timeout) : undefined);
  if (!resume) {
    const buttons = [1, 2, 3, 4, 5].map((n) => ({ label: String(n), value: String(n) }));
    await deliver(run, node, run.text('csatQuestion', node, node.data.question), buttons);
  }
  for (;;) {
    const reply = await nextReply(run, { nodeId: node.id, attempts, ...(deadline !== undefined ? { deadline } : {}) });
    if (typeof reply === 'object') return { branch: null, continueAsNew: reply.continueAsNew } satisfies NodeResult;
    if (reply === 'timeout') return { branch: 'timeout', output: { score: null } };
    const score = parseScore(reply);
    if (score !== null) {
      run.vars[variable] = score;
      run.emit('csat', node.id, { score });
      return { branch: 'next', output: { score } };
    }
    attempts++;
    if (attempts >= 3) return { branch: 'timeout', output: { score: null, text: reply } };
    await deliver(run, node, run.text('csatQuestion', node, node.data.question));
  }
};
