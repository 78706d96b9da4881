import { parseDuration } from '../../language/duration';
import { evaluateCondition } from '../../language/rules';
import type { BusinessEvent } from '../../../contracts/run';
import type { HandlerOf } from './types';

/**
 * Waits for a business event of a type that satisfies the rule. An event that arrived earlier in the
 * run and was not consumed yet counts too (a purchase made during the reminder's delay).
 */
export const waitForEvent: HandlerOf<'waitForEvent'> = async (node, run, resume) => {
  const { event: type, rule, variable } = node.data;
  const deadline = resume?.deadline ?? run.now() + parseDuration(node.data.timeout);
  const matches = (e: BusinessEvent) => {
    if (e.type !== type) return false;
    if (rule === undefined) return true;
    try {
      return evaluateCondition(rule, run.scope({ event: { type: e.type, ...(e.data ?? {}), data: e.data ?? {} } }));
    } catch {
      return false;
    }
  };
  let received: BusinessEvent | undefined;
  // `??=`: the readiness check runs more than once per wake-up (Run.idle() calls it too, for a chat
  // turn in flight); an event it took must stay taken, or it is lost and the wait times out at once.
  await run.waitUntil('event', () => (received ??= run.takeEvent(matches)) !== undefined, deadline);
  if (!received) return { branch: 'timeout', output: { received: false } };
  if (variable) run.vars[variable] = received.data ?? {};
  return { branch: 'event', output: { received: true, event: { type: received.type, data: received.data ?? {} } } };
};
