import { ai } from '../activities';
import { subjectText } from './helpers/ai-subject';
import { callActivity } from './helpers/call';
import { deliver } from './helpers/deliver';
import type { HandlerOf } from './types';

export const aiReply: HandlerOf<'ai.reply'> = async (node, run) => {
  const question = subjectText(run, node, node.data.question, 'question');
  const r = await callActivity(
    run,
    node,
    () =>
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
