import { ai } from '../activities';
import { subjectText } from './helpers/ai-subject';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const aiClassify: HandlerOf<'ai.classify'> = async (node, run) => {
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
  // `engine` says who answered; `llmFailure` why the offline classifier did when an LLM is configured.
  run.emit('ai.classified', node.id, {
    intent,
    confidence: r.value.confidence,
    engine: r.value.engine,
    ...(r.value.llmFailure ? { llmFailure: r.value.llmFailure } : {}),
    ...(r.value.usage ? { usage: r.value.usage } : {}),
  });
  return { branch: intent ?? 'fallback', output: { intent, confidence: r.value.confidence, scores: r.value.scores } };
};
