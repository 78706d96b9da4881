import type { HandlerOf } from './types';

export const goal: HandlerOf<'goal'> = (node, run) => {
  const data = { goal: node.data.goal, ...(node.data.value !== undefined ? { value: node.data.value } : {}), experiments: { ...run.experiments } };
  run.emit('goal', node.id, data);
  return { branch: 'next', output: data };
};
