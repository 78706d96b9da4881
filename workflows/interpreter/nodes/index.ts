import { isCustomActivityType } from '../../language';
import { ask, csat, message } from './conversation';
import { escalate } from './escalate';
import { waitForEvent } from './events';
import { aiClassify, aiReply, aiSentiment, crmLookup, crmTicket, crmUpdate, custom, http, notify, scoreChurn } from './integrations';
import { abSplit, condition, delay, end, goal, personalize, setVariables, start, switchNode } from './logic';
import { subflow } from './subflow';
import type { NodeHandler } from './types';

/** One handler per node type of the catalog. */
const HANDLERS: Record<string, NodeHandler> = {
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
  return HANDLERS[type] ?? (isCustomActivityType(type) ? custom : undefined);
}

export const HANDLED_NODE_TYPES = Object.keys(HANDLERS);
export type { NodeHandler, NodeResult } from './types';
