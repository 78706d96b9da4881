import type { ResumePoint } from '../../../../contracts/run';
import type { Run } from '../../run';

/**
 * Waits for the next customer message, continuing as new first when the history has grown long:
 * a long conversation spends most of its time right here. A message typed ahead is taken at once.
 */
export function nextReply(run: Run, resume: ResumePoint): string | { continueAsNew: ResumePoint } | Promise<string | 'timeout'> {
  if (run.inbox.length > 0) return run.inbox.shift()!.text;
  if (run.shouldContinueAsNew()) return { continueAsNew: resume };
  return run.waitUntil('reply', () => run.inbox.length > 0, resume.deadline).then((arrived) => (arrived ? run.inbox.shift()!.text : 'timeout'));
}
