import { deliver } from './helpers/deliver';
import type { HandlerOf } from './types';

export const message: HandlerOf<'message'> = (node, run) => {
  const text = run.render(node, node.data.text, 'text');
  const buttons = node.data.buttons?.map((b) => ({ label: run.render(node, b.label, 'buttons.label'), value: b.value }));
  const delivering = deliver(run, node, text, buttons);
  return delivering ? delivering.then(() => ({ branch: 'next' })) : { branch: 'next' };
};
