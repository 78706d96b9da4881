import { parseDuration } from '../../language/duration';
import type { AskData } from '../../language/nodes/ask';
import { safeRegExp } from '../../language/safe-regex';
import { foldText } from '../../language/text';
import { NodeError } from '../node-error';
import { deliver } from './helpers/deliver';
import { nextReply } from './helpers/next-reply';
import type { HandlerOf } from './types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ().-]{7,20}$/;

function validateReply(data: AskData, text: string): { ok: true; value: unknown; branch: string } | { ok: false } {
  const trimmed = text.trim();
  if (data.options?.length) {
    const folded = foldText(trimmed);
    const index = /^\d+$/.test(folded) ? Number(folded) - 1 : -1;
    const option =
      data.options[index] ?? data.options.find((o) => [o.value, o.label, ...(o.synonyms ?? [])].some((candidate) => foldText(candidate) === folded));
    return option ? { ok: true, value: option.value, branch: option.value } : { ok: false };
  }
  const v = data.validation;
  if (!v || v.kind === 'none') return { ok: true, value: trimmed, branch: 'reply' };
  switch (v.kind) {
    case 'email':
      // Bounded: EMAIL backtracks quadratically on a long line of dots.
      return trimmed.length <= 254 && EMAIL.test(trimmed) ? { ok: true, value: trimmed.toLowerCase(), branch: 'reply' } : { ok: false };
    case 'phone':
      return PHONE.test(trimmed) && trimmed.replace(/\D/g, '').length >= 7
        ? { ok: true, value: trimmed.replace(/[^\d+]/g, ''), branch: 'reply' }
        : { ok: false };
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

export const ask: HandlerOf<'ask'> = async (node, run, resume) => {
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
