import { isCustomActivityType } from '../../language/nodes/custom-activity-type';
import { abSplit } from './ab-split';
import { aiClassify } from './ai-classify';
import { aiReply } from './ai-reply';
import { aiSentiment } from './ai-sentiment';
import { ask } from './ask';
import { condition } from './condition';
import { crmLookup } from './crm-lookup';
import { crmTicket } from './crm-ticket';
import { crmUpdate } from './crm-update';
import { csat } from './csat';
import { custom } from './custom-activity';
import { delay } from './delay';
import { end } from './end';
import { escalate } from './escalate';
import { goal } from './goal';
import { http } from './http';
import { message } from './message';
import { notify } from './notify';
import { personalize } from './personalize';
import { scoreChurn } from './score-churn';
import { setVariables } from './set-variables';
import { start } from './start';
import { subflow } from './subflow';
import { switchNode } from './switch';
import { waitForEvent } from './wait-for-event';
import type { NodeHandler, NodeHandlers } from './types';

/**
 * The handler of every node type of the catalog (workflows/language/catalog.ts). Typed over the
 * catalog: a node type without a handler, or a handler for other data, is a compile error. Each
 * handler sits in the file named like its description (`nodes/ask.ts` here, `language/nodes/ask.ts`).
 */
const HANDLERS: NodeHandlers = {
  start,
  message,
  ask,
  condition,
  switch: switchNode,
  delay,
  waitForEvent,
  setVariables,
  abSplit,
  goal,
  'ai.classify': aiClassify,
  'ai.sentiment': aiSentiment,
  'ai.reply': aiReply,
  escalate,
  'crm.lookup': crmLookup,
  'crm.update': crmUpdate,
  'crm.ticket': crmTicket,
  notify,
  http,
  personalize,
  'score.churn': scoreChurn,
  csat,
  subflow,
  end,
};

export function handlerFor(type: string): NodeHandler | undefined {
  if (Object.prototype.hasOwnProperty.call(HANDLERS, type)) return HANDLERS[type as keyof NodeHandlers] as NodeHandler;
  return isCustomActivityType(type) ? custom : undefined;
}

export const HANDLED_NODE_TYPES = Object.keys(HANDLERS);
export type { HandlerOf, NodeHandler, NodeResult } from './types';
