import { deliver } from './helpers/deliver';
import type { HandlerOf } from './types';

export const end: HandlerOf<'end'> = (node, run) => {
  const delivering = node.data.message
    ? deliver(run, node, run.render(node, node.data.message, 'message'), undefined, { patch: run.patches.deliverAllTexts })
    : undefined;
  const ended = () => {
    run.outcome = node.data.outcome;
    return { branch: null, output: { outcome: node.data.outcome } };
  };
  return delivering ? delivering.then(ended) : ended();
};
