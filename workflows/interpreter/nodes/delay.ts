import { parseDuration } from '../../language/duration';
import { parseIsoDate } from '../../language/iso-date';
import { NodeError } from '../node-error';
import type { HandlerOf } from './types';

export const delay: HandlerOf<'delay'> = async (node, run, resume) => {
  let deadline = resume?.deadline;
  if (deadline === undefined) {
    if (node.data.duration) deadline = run.now() + parseDuration(node.data.duration);
    else {
      const rendered = run.render(node, node.data.until ?? '', 'until');
      const at = parseIsoDate(rendered.trim());
      if (at === null) throw new NodeError(node.id, `Node ${run.label(node)}: "until" rendered "${rendered}", which is not an ISO date`);
      deadline = at;
    }
  }
  // Messages typed during a long pause are not answers to whatever the flow asks next.
  run.inbox.length = 0;
  await run.waitUntil('timer', () => false, deadline);
  return { branch: 'next', output: { waitedUntil: new Date(deadline).toISOString() } };
};
