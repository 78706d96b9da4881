import { parseDuration } from '../../language/duration';
import { foldText } from '../../language/text';
import { deliver } from './helpers/deliver';
import { nextReply } from './helpers/next-reply';
import type { HandlerOf, NodeResult } from './types';

const CSAT_WORDS: Record<string, number> = {
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  '😡': 1,
  '😞': 2,
  '😐': 3,
  '🙂': 4,
  '😀': 5,
  '😍': 5,
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
export const csat: HandlerOf<'csat'> = async (node, run, resume) => {
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
