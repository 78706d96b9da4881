import { ai } from '../activities';
import { subjectText } from './helpers/ai-subject';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const aiSentiment: HandlerOf<'ai.sentiment'> = async (node, run) => {
  const text = subjectText(run, node, node.data.text, 'text');
  const r = await callActivity(run, node, () => ai.aiSentiment({ ctx: run.activityContext(node), text }), 'neutral');
  if (!r.ok) return { branch: 'neutral', output: { label: 'neutral', error: r.error } };
  run.emit('ai.sentiment', node.id, {
    label: r.value.label,
    score: r.value.score,
    engine: r.value.engine,
    ...(r.value.llmFailure ? { llmFailure: r.value.llmFailure } : {}),
    ...(r.value.usage ? { usage: r.value.usage } : {}),
  });
  return { branch: r.value.label, output: { label: r.value.label, score: r.value.score, language: r.value.language } };
};
